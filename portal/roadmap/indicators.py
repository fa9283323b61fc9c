"""Indicators of one institution for one period, computed from live data, and their idempotent snapshot.

Periods: «2023-Q1» (a calendar quarter) or «2022-2023» (an academic year, 1 September to 31 August). The figures
themselves are computed set-based in portal.roadmap.figures; this module names them, parses periods, and rolls
the institutions' snapshots up to the city."""
from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import text

from portal import clock
from portal.errors import Invalid
from portal.extensions import db
from portal.periods import quarter_of
from portal.roadmap import figures
from portal.roadmap.models import Snapshot
from tenants.context import TenantViolation, current_scope

# Figures in the order reports show them, with their Russian names.
FIGURES = {
    "staff": "Педагогических работников",
    "mentors": "Наставников",
    "mentees": "Наставляемых",
    "groups": "Пар и групп",
    "young": "Молодых специалистов",
    "young_with_mentor": "Молодых специалистов с наставником",
    "young_with_mentor_pct": "Доля молодых специалистов с наставником, %",
    "programs_active": "Программ реализовывалось",
    "programs_completed": "Программ завершено",
    "programs_terminated": "Программ прекращено",
    "items_done": "Мероприятий выполнено",
    "items_overdue": "Мероприятий просрочено",
    "meetings": "Встреч наставников и наставляемых",
    "acks_total": "Ознакомлений с приказами требовалось",
    "acks_done": "Ознакомлены",
    "tasks_total": "Задач дорожной карты",
    "tasks_submitted": "Задач сдано",
    "tasks_accepted": "Задач принято",
    "tasks_overdue": "Задач просрочено",
    "satisfaction": "Удовлетворённость участников (из 10)",
    "mentors_rewarded": "Наставников поощрено",
}
SUMMED = [k for k in FIGURES if k not in ("young_with_mentor_pct", "satisfaction")]


def bounds(period: str) -> tuple[date, date]:
    """First and last day of «2023-Q1» or «2022-2023»; a clear error for anything else."""
    if m := re.fullmatch(r"(20\d\d)-Q([1-4])", period or ""):
        year, q = int(m[1]), int(m[2])
        start = date(year, 3 * q - 2, 1)
        end = (date(year + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=1))
        return start, end
    if m := re.fullmatch(r"(20\d\d)-(20\d\d)", period or ""):
        if int(m[2]) == int(m[1]) + 1:
            return date(int(m[1]), 9, 1), date(int(m[2]), 8, 31)
    raise Invalid("period", "Период: квартал «2023-Q1» или учебный год «2022-2023».")


def previous_quarter(today: date) -> str:
    q = (today.month - 1) // 3
    return f"{today.year - 1}-Q4" if q == 0 else f"{today.year}-Q{q}"


def quarters(start: str, end: str) -> list[str]:
    y, q = int(start[:4]), int(start[-1])
    out = []
    while f"{y}-Q{q}" <= end:
        out.append(f"{y}-Q{q}")
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


def compute(period: str, today: date | None = None) -> dict:
    """Figures of the one institution of the current scope, from live data (the same grouped queries as a chunk)."""
    return compute_all([_single_institution()], period, today)[_single_institution()]


def compute_all(institution_ids: list[int], period: str, today: date | None = None) -> dict[int, dict]:
    start, end = bounds(period)
    return figures.compute_many(institution_ids, start, end, today or date.today(), _quarters_touched(start, end))


def _quarters_touched(start: date, end: date) -> list[str]:
    return quarters(quarter_of(start), quarter_of(end))


def _single_institution() -> int:
    institution_id = current_scope().single_institution
    if institution_id is None:
        raise TenantViolation("the figures of one institution need that institution's scope")
    return institution_id


def snapshot_all(institution_ids: list[int], period: str, today: date | None = None) -> int:
    """Compute and upsert the snapshots of these institutions (keyed by institution × period) in one transaction:
    the chunk is written whole or not at all."""
    if db.session.get_bind().dialect.name == "postgresql":
        # The chunk's statements take its ids as array parameters, and the driver prepares a statement it has run
        # five times: PostgreSQL would then settle on a generic plan, blind to the array's length — a plan fit for a
        # chunk of 200 ran a chunk of 800 five times slower. Planned for each chunk's ids, in this transaction only.
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    figures.upsert_snapshots(period, compute_all(institution_ids, period, today), clock.now())
    db.session.commit()
    return len(institution_ids)


def snapshot(institution_id: int, period: str, today: date | None = None) -> Snapshot:
    """Upsert keyed by institution × period: computing twice leaves one row with the latest figures."""
    snapshot_all([institution_id], period, today)
    return db.session.execute(db.select(Snapshot).where(Snapshot.institution_id == institution_id,
                                                        Snapshot.period == period)
                              .execution_options(populate_existing=True)).scalar_one()


def city_totals(snapshots: list[Snapshot]) -> dict:
    totals = {k: sum((s.figures.get(k) or 0) for s in snapshots) for k in SUMMED}
    totals["young_with_mentor_pct"] = (figures.tenths(100 * totals["young_with_mentor"], totals["young"])
                                       if totals["young"] else None)
    forms: dict[str, int] = {}
    for s in snapshots:
        for name, n in (s.figures.get("groups_by_form") or {}).items():
            forms[name] = forms.get(name, 0) + n
    totals["groups_by_form"] = forms
    values = [s.figures.get("satisfaction") for s in snapshots if s.figures.get("satisfaction") is not None]
    totals["satisfaction"] = round(sum(values) / len(values), 1) if values else None  # mean of the institutions
    return totals
