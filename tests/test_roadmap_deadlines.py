"""Every deadline phrase of the seed's roadmap becomes a rule with due dates; unknown wording is never guessed."""
from __future__ import annotations

from datetime import date

import pytest

from portal.roadmap.deadlines import Rule, due_dates, next_working_day, non_working_days, parse
from portal.roadmap.template_pokachi import SECTIONS

PERIOD = (2022, 2024)


def _dues(text, year):
    return [(d.period, d.nominal, d.working) for d in due_dates(parse(text), year, PERIOD)]


def test_every_deadline_of_the_seed_roadmap_is_understood():
    activities = [a for _, acts in SECTIONS for a in acts]
    assert len(activities) == 32 and [a[0] for a in activities] == list(range(1, 33))
    assert [a[0] for a in activities if parse(a[2]) is None] == []


@pytest.mark.parametrize("text, year, expected", [
    ("октябрь 2022", 2022, [("once", date(2022, 10, 31), date(2022, 10, 31))]),
    ("октябрь 2022г.", 2022, [("once", date(2022, 10, 31), date(2022, 10, 31))]),
    ("октябрь 2022г.", 2023, []),
    ("01.12.2022", 2022, [("once", date(2022, 12, 1), date(2022, 12, 1))]),
    ("Ежегодно до 01 октября", 2023, [("2023", date(2023, 10, 1), date(2023, 10, 2))]),   # a Sunday
    ("2022-2024 ежегодно до 01 октября", 2024, [("2024", date(2024, 10, 1), date(2024, 10, 1))]),
    ("2022-2024 Ежегодно до 5 мая", 2024, [("2024", date(2024, 5, 5), date(2024, 5, 6))]),  # a Sunday
    ("ежегодно до 15 мая", 2023, [("2023", date(2023, 5, 15), date(2023, 5, 15))]),
    ("Ежегодно в марте 2022-2024", 2023, [("2023", date(2023, 3, 31), date(2023, 3, 31))]),
    ("2022-2024 ежегодно октябрь-декабрь", 2022, [("2022", date(2022, 12, 31), date(2023, 1, 9))]),
    ("2022-2024 ежегодно", 2023, [("2023", date(2023, 12, 31), date(2024, 1, 9))]),
    ("2022-2024 ежегодно в каникулярные периоды", 2023, [("2023", date(2023, 8, 31), date(2023, 8, 31))]),
    ("2022-2024", 2023, [("2023", date(2023, 12, 31), date(2024, 1, 9))]),
    ("2022-2024", 2024, [("2024", date(2024, 12, 31), date(2024, 12, 31))]),  # decree transfers not encoded
    ("2022-2024 постоянно", 2023, [("2023", date(2023, 12, 31), date(2024, 1, 9))]),
    ("2022-2024 по отдельному плану", 2023, [("2023", date(2023, 12, 31), date(2024, 1, 9))]),
    ("По итогам реализации программы наставничества, 2022-2024", 2023, []),  # per program: see test_roadmap_work
])
def test_due_dates_of_each_phrase(text, year, expected):
    assert _dues(text, year) == expected


def test_quarterly_by_the_5th_of_the_next_month():
    dues = _dues("2022-2024 ежеквартально до 5 числа месяца, следующего за отчетным", 2023)
    assert [(p, n) for p, n, _ in dues] == [("2023-Q1", date(2023, 4, 5)), ("2023-Q2", date(2023, 7, 5)),
                                            ("2023-Q3", date(2023, 10, 5)), ("2023-Q4", date(2024, 1, 5))]
    assert dues[-1][2] == date(2024, 1, 9)  # 5 January is a holiday: the next working day is shown too


def test_quarterly_seminars_at_quarter_end():
    assert [n for _, n, _ in _dues("2022-2024 ежеквартально", 2022)] == [
        date(2022, 3, 31), date(2022, 6, 30), date(2022, 9, 30), date(2022, 12, 31)]


def test_no_due_dates_outside_the_roadmap_period():
    assert _dues("Ежегодно до 01 октября", 2025) == []


@pytest.mark.parametrize("text", ["когда-нибудь", "до 32 мая", "ежегодно до 31 февраля", "31.02.2023", "",
                                  "ежеквартально до 31 числа месяца, следующего за отчетным"])
def test_unknown_wording_is_not_guessed(text):
    assert parse(text) is None


def test_rule_round_trips_through_json():
    rule = parse("Ежегодно до 01 октября")
    assert Rule.from_dict(rule.as_dict()) == rule and rule.as_dict() == {"kind": "yearly_by_date", "month": 10, "day": 1}


def test_russian_non_working_days():
    days = non_working_days(2023)
    assert {date(2023, 1, 1), date(2023, 2, 23), date(2023, 3, 8), date(2023, 5, 1), date(2023, 5, 9),
            date(2023, 6, 12), date(2023, 11, 4)} <= days
    assert date(2023, 11, 6) in days          # 4 November 2023 was a Saturday: moved to Monday
    assert next_working_day(date(2023, 6, 10)) == date(2023, 6, 13)  # Sat, Sun, then Monday 12 June
    assert next_working_day(date(2023, 6, 14)) == date(2023, 6, 14)
