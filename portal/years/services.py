"""The calendar of academic years (1 September – 31 August): the year of a day, its bounds, the next one, and whether
a year is closed — what every feature that files a row under a year checks. What belongs to a year, which year a list
shows and «Закрыть учебный год» are mentoring's (portal/mentoring/years.py)."""
from __future__ import annotations

import re
from datetime import date


from portal.exceptions import Invalid
from portal.extensions import db
from portal.years.models import AcademicYear



def year_of(day: date) -> str:
    """«2022-2023» for any day from 1 September 2022 to 31 August 2023."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def check_year(text: str, field: str = "year") -> str:
    text = (text or "").strip()
    if not re.fullmatch(r"20\d\d-20\d\d", text) or int(text[5:]) != int(text[:4]) + 1:
        raise Invalid(field, "Учебный год вида 2022-2023.")
    return text


def bounds(year: str) -> tuple[date, date]:
    first = int(check_year(year)[:4])
    return date(first, 9, 1), date(first + 1, 8, 31)


def next_year(year: str) -> str:
    first = int(check_year(year)[:4]) + 1
    return f"{first}-{first + 1}"


def closed_row(year: str) -> AcademicYear | None:
    return db.session.execute(db.select(AcademicYear).where(AcademicYear.year == year)).scalar_one_or_none()


def is_closed(year: str) -> bool:
    row = closed_row(year)
    return row is not None and row.closed_at is not None


def closed_years() -> set[str]:
    return set(db.session.execute(db.select(AcademicYear.year).where(AcademicYear.closed_at.is_not(None))).scalars())


def check_open(year: str, field: str = "academic_year") -> None:
    if year and is_closed(year):
        raise Invalid(field, f"Учебный год {year} закрыт: в нём ничего не добавляется и не издаётся. "
                             f"Работайте в {next_year(year)} учебном году.")
