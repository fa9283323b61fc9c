"""Deadline rules of the roadmap, parsed from the wording the city writes («Ежегодно до 01 октября»,
«ежеквартально до 5 числа месяца, следующего за отчетным», …) into structured rules, and due dates computed for
any year of the roadmap's period. Text the parser does not know is kept as written and flagged for the
coordinator: it never guesses silently.

Every wording gives trackable work in every year of the roadmap's period: «постоянно» and a bare period
(«2022-2024») a task for each year, due on 31 December, whose evidence is gathered all year; «по отдельному
плану» a task for each date of that plan (the coordinator's and the institution's), or one for the year while no
date is planned; «по итогам реализации программы» a task for each program completed (see `after_program_due`).

Periods are labelled «2023» (a year), «2023-Q1» (a quarter), «2023-11-15» (a date of a separate plan), «once»
(a one-off date), «program-17» (the program with id 17).
"""
from __future__ import annotations

import calendar
import re
from dataclasses import asdict, dataclass
from datetime import date, timedelta

MONTHS = {"январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8, "сентябр": 9,
          "октябр": 10, "ноябр": 11, "декабр": 12}
_MONTH = r"(январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?|сентябр[ьяе]|" \
         r"октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"

# Kinds of rule and what a due date means for each.
ONCE_DATE = "once_date"                # «01.12.2022»: that day
ONCE_MONTH = "once_month"              # «октябрь 2022г.»: the last day of that month
YEARLY_BY_DATE = "yearly_by_date"      # «Ежегодно до 01 октября»: that day every year
YEARLY_IN_MONTH = "yearly_in_month"    # «Ежегодно в марте»: the last day of that month every year
YEARLY_MONTHS = "yearly_months"        # «ежегодно октябрь-декабрь»: the last day of the last month every year
YEARLY = "yearly"                      # «ежегодно»: 31 December every year
QUARTERLY_NEXT_MONTH = "quarterly_next_month"  # «ежеквартально до 5 числа месяца, следующего за отчетным»
QUARTERLY = "quarterly"                # «ежеквартально»: the last day of each quarter
HOLIDAYS = "holidays"                  # «ежегодно в каникулярные периоды»: reported after the summer, 31 August
PERIOD = "period"                      # «2022-2024»: work in each year of the span, by 31 December
CONTINUOUS = "continuous"              # «постоянно»: a task for each year, evidence gathered all year
BY_PLAN = "by_plan"                    # «по отдельному плану»: the plan's dates (coordinator's, institution's)
AFTER_PROGRAM = "after_program"        # «По итогам реализации программы наставничества»: per completed program

LABELS = {
    ONCE_DATE: "к дате", ONCE_MONTH: "в течение месяца", YEARLY_BY_DATE: "ежегодно к дате",
    YEARLY_IN_MONTH: "ежегодно в месяце", YEARLY_MONTHS: "ежегодно в месяцы", YEARLY: "ежегодно до конца года",
    QUARTERLY_NEXT_MONTH: "ежеквартально, в следующем месяце", QUARTERLY: "ежеквартально",
    HOLIDAYS: "в каникулярные периоды (отчёт после летних каникул)", PERIOD: "в каждом году периода, до 31 декабря",
    CONTINUOUS: "постоянно (задача на каждый год, подтверждения в течение года)",
    BY_PLAN: "по отдельному плану (даты задают координатор и организация)",
    AFTER_PROGRAM: "по итогам каждой завершённой программы",
}
# Kinds whose dates the rule alone does not give: a plan's dates, a program's completion.
NO_DUE = {AFTER_PROGRAM}
YEAR_LONG = {CONTINUOUS, PERIOD}        # the year's task gathers evidence all year («постоянно»)
AFTER_PROGRAM_DAYS = 14                 # the survey after a program: two weeks to answer and sum up


@dataclass(frozen=True)
class Rule:
    kind: str
    month: int | None = None
    day: int | None = None
    year: int | None = None
    to_month: int | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict | None) -> Rule | None:
        return cls(**data) if data else None

    @property
    def label(self) -> str:
        return LABELS[self.kind]


@dataclass(frozen=True)
class Due:
    period: str
    nominal: date | None          # as the rule says
    working: date | None          # the next working day if the nominal one is a non-working day

    @property
    def moved(self) -> bool:
        return self.nominal != self.working


def _month(word: str) -> int:
    word = word.lower()
    for stem, number in sorted(MONTHS.items(), key=lambda kv: -len(kv[0])):
        if word.startswith(stem):
            return number
    raise ValueError(word)


def _normalise(text: str) -> str:
    text = (text or "").lower().replace("ё", "е").replace("–", "-").replace("—", "-")
    text = re.sub(r"\b20\d\d\s*-\s*20\d\d\s*(г\.?\s*г?\.?)?", " ", text)   # the period «2022-2024» is the roadmap's
    return " ".join(text.replace(",", " , ").split()).replace(" , ", ", ").strip(" ,.")


def parse(text: str) -> Rule | None:
    """A structured rule for the wording, or None when the wording is not known (kept and flagged)."""
    raw = " ".join((text or "").split())
    t = _normalise(raw)
    if not t:
        return Rule(PERIOD) if re.search(r"20\d\d\s*-\s*20\d\d", raw) else None
    if m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(20\d\d)( ?г\.?)?", t):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        try:
            date(year, month, day)
        except ValueError:
            return None
        return Rule(ONCE_DATE, month=month, day=day, year=year)
    if m := re.fullmatch(_MONTH + r" (20\d\d)( ?г\.?)?", t):
        return Rule(ONCE_MONTH, month=_month(m[1]), year=int(m[2]))
    if m := re.fullmatch(r"ежегодно до (\d{1,2}) " + _MONTH, t):
        month, day = _month(m[2]), int(m[1])
        return Rule(YEARLY_BY_DATE, month=month, day=day) if 1 <= day <= calendar.monthrange(2023, month)[1] else None
    if m := re.fullmatch(r"ежегодно в " + _MONTH, t):
        return Rule(YEARLY_IN_MONTH, month=_month(m[1]))
    if m := re.fullmatch(r"ежегодно " + _MONTH + r" ?- ?" + _MONTH, t):
        return Rule(YEARLY_MONTHS, month=_month(m[1]), to_month=_month(m[2]))
    if m := re.fullmatch(r"ежеквартально до (\d{1,2}) числа месяца, следующего за отчетным", t):
        return Rule(QUARTERLY_NEXT_MONTH, day=int(m[1])) if 1 <= int(m[1]) <= 28 else None
    exact = {"ежегодно": Rule(YEARLY), "ежеквартально": Rule(QUARTERLY), "постоянно": Rule(CONTINUOUS),
             "по отдельному плану": Rule(BY_PLAN), "ежегодно в каникулярные периоды": Rule(HOLIDAYS),
             "по итогам реализации программы наставничества": Rule(AFTER_PROGRAM)}
    return exact.get(t)


# --- the Russian calendar ---------------------------------------------------------------------------------------

# Non-working holidays, Labour Code art. 112. A holiday on a weekend moves to the next working day; the January ones
# are moved by the government's yearly decree instead, which is not encoded here (see the issue note).
HOLIDAY_DAYS = {(1, d) for d in range(1, 9)} | {(2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4)}


def non_working_days(year: int) -> set[date]:
    days = {date(year, m, d) for m, d in HOLIDAY_DAYS}
    for m, d in sorted(HOLIDAY_DAYS - {(1, d) for d in range(1, 9)}):
        holiday = date(year, m, d)
        if holiday.weekday() >= 5:
            extra = holiday + timedelta(days=1)
            while extra.weekday() >= 5 or extra in days:
                extra += timedelta(days=1)
            days.add(extra)
    return days


def next_working_day(day: date) -> date:
    holidays = non_working_days(day.year) | non_working_days(day.year + 1)
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    return day


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def due_dates(rule: Rule | None, year: int, period: tuple[int, int], plan: list[date] | tuple = ()) -> list[Due]:
    """Due dates falling to `year` of a roadmap whose period is (first year, last year); [] if none that year.

    `plan` is the dates of a separate plan («по отдельному плану»): one task for each of them that falls in the
    year, and while none does, one task for the year, due on 31 December, so the year's work is still tracked."""
    if rule is None or rule.kind in NO_DUE or not period[0] <= year <= period[1]:
        return []
    nominal: list[tuple[str, date]] = []
    if rule.kind == BY_PLAN:
        days = sorted({d for d in plan if d.year == year})
        nominal += [(d.isoformat(), d) for d in days] or [(str(year), date(year, 12, 31))]
    elif rule.kind in (ONCE_DATE, ONCE_MONTH):
        if rule.year == year:
            when = date(year, rule.month, rule.day) if rule.kind == ONCE_DATE else _last_day(year, rule.month)
            nominal.append(("once", when))
    elif rule.kind == YEARLY_BY_DATE:
        nominal.append((str(year), date(year, rule.month, rule.day)))
    elif rule.kind == YEARLY_IN_MONTH:
        nominal.append((str(year), _last_day(year, rule.month)))
    elif rule.kind == YEARLY_MONTHS:
        nominal.append((str(year), _last_day(year, rule.to_month)))
    elif rule.kind == YEARLY:
        nominal.append((str(year), date(year, 12, 31)))
    elif rule.kind == HOLIDAYS:
        nominal.append((str(year), date(year, 8, 31)))
    elif rule.kind == QUARTERLY_NEXT_MONTH:
        for q in range(1, 5):
            month = q * 3 + 1
            nominal.append((f"{year}-Q{q}", date(year + (month > 12), (month - 1) % 12 + 1, rule.day)))
    elif rule.kind == QUARTERLY:
        nominal += [(f"{year}-Q{q}", _last_day(year, q * 3)) for q in range(1, 5)]
    elif rule.kind in YEAR_LONG:
        nominal.append((str(year), date(year, 12, 31)))
    return [Due(label, when, next_working_day(when)) for label, when in nominal]


def after_program_due(program_id: int, completed_on: date) -> Due:
    """«По итогам реализации программы»: the work on one completed program (its survey, its results)."""
    when = completed_on + timedelta(days=AFTER_PROGRAM_DAYS)
    return Due(program_period(program_id), when, next_working_day(when))


def program_period(program_id: int) -> str:
    return f"program-{program_id}"


def is_plan_period(label: str) -> bool:
    """«2023-11-15»: a task for one date of a separate plan."""
    return bool(re.fullmatch(r"20\d\d-\d\d-\d\d", label or ""))
