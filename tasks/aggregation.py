"""Quarterly and academic-year indicators: the beat fans out one task per chunk of institutions; each task takes ids
and a period label only, computes the whole chunk set-based (grouped queries) and upserts its snapshots in one
transaction (acks late, idempotent: a chunk redelivered after a killed worker recomputes the same rows, never
second ones, so a killed worker loses at most the chunk in hand)."""
from __future__ import annotations

from celery import shared_task

from tasks.schedule import crontab, periodic

# Institutions per task: large enough that a region (~800) is a handful of tasks of a dozen statements each, small
# enough that a lost chunk is a second of work and the progress bar moves.
CHUNK = 200


def chunks(municipality_id: int | None, size: int = CHUNK) -> list[list[int]]:
    from portal.extensions import db
    from tenants.context import platform_scope
    from tenants.models import Institution

    with platform_scope("aggregation: enumerate institutions"):
        stmt = db.select(Institution.id).order_by(Institution.id)
        if municipality_id is not None:
            stmt = stmt.where(Institution.municipality_id == municipality_id)
        ids = list(db.session.execute(stmt).scalars())
    return [ids[k:k + size] for k in range(0, len(ids), max(1, size))]


@shared_task(name="aggregation.fan_out")
def fan_out(period: str | None = None, municipality_id: int | None = None, chunk: int = CHUNK) -> int:
    from datetime import date

    from portal.roadmap.indicators import bounds, previous_quarter

    period = period or previous_quarter(date.today())
    bounds(period)  # a bad label fails here, before anything is queued
    parts = chunks(municipality_id, chunk)
    for ids in parts:
        snapshot_chunk.delay(ids, period)
    return sum(len(ids) for ids in parts)


def run_inline(period: str, municipality_id: int | None = None, chunk: int = CHUNK) -> int:
    """The command line's «now»: the same chunks, in this process, one after another."""
    from portal.roadmap.indicators import bounds

    bounds(period)
    return sum(snapshot_chunk.run(ids, period) for ids in chunks(municipality_id, chunk))


@shared_task(name="aggregation.chunk", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def snapshot_chunk(institution_ids: list[int], period: str) -> int:
    from portal.roadmap.indicators import snapshot_all
    from tenants.context import institutions_scope

    with institutions_scope(institution_ids) as scope:
        return snapshot_all(sorted(scope.institution_ids), period)


@shared_task(name="aggregation.institution")
def snapshot_institution(institution_id: int, period: str) -> int:
    """Messages queued before the chunked tasks existed still run: a chunk of one."""
    return snapshot_chunk.run([institution_id], period)


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
