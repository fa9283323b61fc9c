"""Quarterly and academic-year indicators: beat fans out one task per institution; each task takes ids and a
period label only, computes from live data and upserts its snapshot (acks late, idempotent: a task redelivered
after a killed worker recomputes the same row, never a second one)."""
from __future__ import annotations

from celery import shared_task

from tasks.schedule import crontab, periodic


def _institutions(municipality_id: int | None) -> list[int]:
    from portal.extensions import db
    from tenants.context import platform_scope
    from tenants.models import Institution

    with platform_scope("aggregation: enumerate institutions"):
        stmt = db.select(Institution.id).order_by(Institution.id)
        if municipality_id is not None:
            stmt = stmt.where(Institution.municipality_id == municipality_id)
        return list(db.session.execute(stmt).scalars())


@shared_task(name="aggregation.fan_out")
def fan_out(period: str | None = None, municipality_id: int | None = None) -> int:
    from datetime import date

    from portal.roadmap.indicators import bounds, previous_quarter

    period = period or previous_quarter(date.today())
    bounds(period)  # a bad label fails here, before anything is queued
    ids = _institutions(municipality_id)
    for institution_id in ids:
        snapshot_institution.delay(institution_id, period)
    return len(ids)


def run_inline(period: str, municipality_id: int | None = None) -> int:
    """The command line's «now»: the same per-institution work, in this process, one after another."""
    from portal.roadmap.indicators import bounds

    bounds(period)
    ids = _institutions(municipality_id)
    for institution_id in ids:
        snapshot_institution.run(institution_id, period)
    return len(ids)


@shared_task(name="aggregation.institution", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def snapshot_institution(institution_id: int, period: str) -> int:
    from sqlalchemy.exc import IntegrityError

    from portal.extensions import db
    from portal.roadmap.indicators import snapshot
    from tenants.context import institution_scope

    with institution_scope(institution_id):
        try:
            return snapshot(institution_id, period).id
        except IntegrityError:  # a twin of this task inserted the row first: update it instead
            db.session.rollback()
            return snapshot(institution_id, period).id


@shared_task(name="aggregation.academic_year")
def academic_year_to_date() -> int:
    from datetime import date

    today = date.today()
    start = today.year if today.month >= 9 else today.year - 1
    return fan_out(f"{start}-{start + 1}")


# After each quarter (on the 1st of January, April, July, October) and, for the annual report due by 15 May, the
# academic year so far on 6 May.
periodic("quarterly-indicators", "aggregation.fan_out", crontab(hour=2, minute=0, day_of_month=1,
                                                                month_of_year="1,4,7,10"))
periodic("academic-year-indicators", "aggregation.academic_year", crontab(hour=3, minute=0, day_of_month=6,
                                                                          month_of_year=5))
