"""Periods are read in words («III квартал 2026», «2025/2026 учебный год»), chosen from a list, and the period
in progress is the default."""
from __future__ import annotations

from datetime import date

import pytest

from portal.periods import academic_year_of, current_quarter, period_label, quarter_bounds
from tenants.access import Role
from tests.factories import make_institution, make_municipality, make_user


@pytest.mark.parametrize("code, words", [
    ("2026-Q1", "I квартал 2026"), ("2026-Q2", "II квартал 2026"), ("2026-Q3", "III квартал 2026"),
    ("2026-Q4", "IV квартал 2026"), ("2025-2026", "2025/2026 учебный год"), ("2026", "2026 год"),
    ("2026-11-15", "15.11.2026"), ("once", "однократно"), ("что-то своё", "что-то своё"),
])
def test_a_period_code_is_written_in_words(code, words):
    assert period_label(code) == words


def test_the_quarter_in_progress_on_the_first_of_december_is_the_fourth():
    assert current_quarter(date(2026, 12, 1)) == "2026-Q4"
    assert quarter_bounds("2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert academic_year_of(date(2026, 12, 1)) == "2026-2027" and academic_year_of(date(2026, 5, 1)) == "2025-2026"


def test_the_indicators_open_on_the_quarter_in_progress_chosen_from_a_list(app, client, login):
    city = make_municipality()
    make_institution(city)
    login(make_user((Role.COORDINATOR, city)))
    page = client.get(f"/m/{city.slug}/indicators").get_data(as_text=True)
    now = current_quarter(date.today())
    assert f"Показатели наставничества: {period_label(now)}" in page
    assert f'<option value="{now}" selected>{period_label(now)}</option>' in page
    assert '<input class="form-control form-control-sm" name="period"' not in page
    assert "2023-Q1 или 2022-2023" not in page


def test_an_older_period_is_shown_in_words_in_the_title_and_the_list(app, client, login):
    city = make_municipality()
    make_institution(city)
    login(make_user((Role.COORDINATOR, city)))
    page = client.get(f"/m/{city.slug}/indicators?period=2023-2024").get_data(as_text=True)
    assert "Показатели наставничества: 2023/2024 учебный год" in page
    assert '<option value="2023-2024" selected>2023/2024 учебный год</option>' in page
