"""Russian formatting: plurals, dates дд.мм.гггг, tenure «1 год 3 мес» as orders write it."""
from datetime import date

import pytest

from portal.formatting import months_between, parse_ru_date, plural, ru_date, tenure_words


@pytest.mark.parametrize("n, word", [(1, "год"), (2, "года"), (4, "года"), (5, "лет"), (11, "лет"), (12, "лет"),
                                     (14, "лет"), (21, "год"), (22, "года"), (25, "лет"), (101, "год"), (111, "лет")])
def test_russian_plural_of_years(n, word):
    assert plural(n, "год", "года", "лет") == word


def test_dates_are_written_day_month_year():
    assert ru_date(date(2022, 11, 21)) == "21.11.2022"


@pytest.mark.parametrize("start, as_of, words", [
    (date(2021, 8, 1), date(2022, 11, 21), "1 год 3 мес"),
    (date(2020, 9, 1), date(2022, 11, 21), "2 года 2 мес"),
    (date(2017, 11, 21), date(2022, 11, 21), "5 лет"),
    (date(2022, 6, 1), date(2022, 11, 21), "5 мес"),
    (date(2022, 11, 10), date(2022, 11, 21), "менее месяца"),
])
def test_tenure_is_written_in_years_and_months(start, as_of, words):
    assert tenure_words(start, as_of) == words


def test_a_month_is_complete_only_on_its_day():
    assert months_between(date(2022, 1, 31), date(2022, 2, 28)) == 0
    assert months_between(date(2022, 1, 15), date(2022, 2, 15)) == 1


@pytest.mark.parametrize("text, value", [("21.11.2022", date(2022, 11, 21)), ("2022-11-21", date(2022, 11, 21)),
                                         ("31.02.2022", None), ("вчера", None), ("", None)])
def test_dates_are_parsed_from_russian_and_iso_forms(text, value):
    assert parse_ru_date(text) == value


def test_numbers_are_written_the_russian_way():
    from portal.formatting import ru_number

    assert (ru_number(35.25), ru_number(4), ru_number(None)) == ("35,2", "4", "—")


class _Person:
    def __init__(self, middle_name):
        self.middle_name = middle_name


@pytest.mark.parametrize("people, word", [
    ([_Person("Петровна")], "Наставляемая"),
    ([_Person("Ильинична")], "Наставляемая"),
    ([_Person("Ильич")], "Наставляемый"),
    ([_Person("")], "Наставляемый"),
    ([_Person("Петровна"), _Person("Ильич")], "Наставляемые"),
])
def test_one_person_is_labelled_in_the_singular_by_the_patronymic(people, word):
    from portal.formatting import role_word
    assert role_word(people, "Наставляемый", "Наставляемая", "Наставляемые") == word
