"""Periods as people read them: «III квартал 2026», «2025/2026 учебный год», «2026 год».

The code stays the key in URLs, forms and rows («2026-Q3», «2025-2026», «2026»); every place a person reads a
period goes through `period_label` (the Jinja filter `period`), and every choice of a period is a select built
from `quarter_choices` / `academic_year_choices`, with the period in progress chosen by default.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from portal.formatting import ru_date

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_ACADEMIC = re.compile(r"(\d{4})[-/](\d{4})")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), the month's last day when it has fewer: 31.01 + 1 → 28.02."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def quarter_of(day: date) -> str:
    """The code of the quarter a day falls in: 01.12.2026 → «2026-Q4»."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def current_quarter(today: date | None = None) -> str:
    return quarter_of(today or date.today())


def quarter_bounds(code: str) -> tuple[date, date]:
    m = _QUARTER.fullmatch(code)
    if m is None:
        raise ValueError(code)
    year, q = int(m[1]), int(m[2])
    start = date(year, 3 * q - 2, 1)
    end = date(year + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def academic_year_of(day: date) -> str:
    """The academic year (1 September – 31 August) a day falls in: 01.12.2026 → «2026-2027»."""
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}-{first + 1}"


def period_label(code) -> str:
    """«2026-Q3» → «III квартал 2026»; «2025-2026» → «2025/2026 учебный год»; «2026» → «2026 год»;
    a plan's date «2026-11-15» → «15.11.2026»; anything else as it is."""
    code = str(code or "").strip()
    if m := _QUARTER.fullmatch(code):
        return f"{ROMAN[int(m[2])]} квартал {m[1]}"
    if (m := _ACADEMIC.fullmatch(code)) and int(m[2]) == int(m[1]) + 1:
        return f"{m[1]}/{m[2]} учебный год"
    if re.fullmatch(r"\d{4}", code):
        return f"{code} год"
    if _DAY.fullmatch(code):
        return ru_date(date.fromisoformat(code))
    if code == "once":
        return "однократно"
    if code.startswith("program-"):
        return "по итогам программы"
    return code


def quarter_choices(first_year: int, last_year: int) -> list[tuple[str, str]]:
    """(code, words) for every quarter of the years, latest first."""
    return [(f"{y}-Q{q}", period_label(f"{y}-Q{q}")) for y in range(last_year, first_year - 1, -1) for q in (4, 3, 2, 1)]


def academic_year_choices(first_year: int, last_year: int) -> list[tuple[str, str]]:
    """(code, words) for the academic years starting in first_year … last_year, latest first."""
    return [(f"{y}-{y + 1}", period_label(f"{y}-{y + 1}")) for y in range(last_year, first_year - 1, -1)]


def labelled(codes) -> list[tuple[str, str]]:
    """(code, words) for the given codes, in their order: the options of a select of periods."""
    return [(c, period_label(c)) for c in codes]


def init_app(app) -> None:
    app.jinja_env.filters["period"] = period_label
