"""Quarterly and academic-year indicators: a fan-out puts one job per chunk of institutions into the outbox (one
multi-row insert, committed together); each job takes ids and a period label only, computes the whole chunk
set-based (grouped queries) and upserts its snapshots in one transaction (acks late, idempotent: a chunk delivered
twice recomputes the same rows, never second ones, so a killed worker loses at most the chunk in hand)."""
from __future__ import annotations

from datetime import date

from celery import shared_task

from portal.extensions import db
from portal.jobs.models import Job
from portal.jobs.services import claim_period, job_id_of, submit_many
from portal.roadmap import indicators
from portal.roadmap.indicators import bounds, previous_quarter
from tenants.context import institutions_scope, platform_scope
from tenants.models import Institution

# Institutions per task. A chunk costs about 30 ms whatever its size (on PostgreSQL, 800 institutions: planning
# the one statement and the families that read a whole table once per chunk, ~13 ms; the Python around it,
# ~15 ms), then ~0.1 ms per institution: at 200 a region's 800 took 4 × that fixed cost, 2.4× the set-based
# baseline; at 400 it is 2 tasks, ~2×. Still small: a lost chunk is well under a second of work, and a region's
# recompute shows its halves (a city's 40 are one chunk either way).
CHUNK = 400


def chunks(municipality_id: int | None, size: int = CHUNK) -> list[list[int]]:
    with platform_scope("aggregation: enumerate institutions"):
        stmt = db.select(Institution.id).order_by(Institution.id)
        if municipality_id is not None:
            stmt = stmt.where(Institution.municipality_id == municipality_id)
        ids = list(db.session.execute(stmt).scalars())
    return [ids[k:k + size] for k in range(0, len(ids), max(1, size))]


def fan_out_jobs(period: str, municipality_id: int | None, parent_id: int | None, chunk: int = CHUNK) -> int:
    """The chunks of one recompute as jobs under `parent_id`, committed together; a redelivered fan-out finds its
    parts already there and adds none."""
    bounds(period)  # a bad label fails here, before anything is queued
    parts = chunks(municipality_id, chunk)
    if parent_id is None or not db.session.execute(db.select(Job.id).where(Job.parent_id == parent_id).limit(1)).first():
        submit_many("aggregation.chunk", [[ids, period] for ids in parts], parent_id=parent_id,
                    municipality_id=municipality_id)
        db.session.commit()
    return sum(len(ids) for ids in parts)


@shared_task(name="aggregation.fan_out", bind=True)
def fan_out(self, period: str | None = None, municipality_id: int | None = None, chunk: int = CHUNK) -> int:
    return fan_out_jobs(period or previous_quarter(date.today()), municipality_id, job_id_of(self.request.id), chunk)


def run_inline(period: str, municipality_id: int | None = None, chunk: int = CHUNK) -> int:
    """The command line's «now»: the same chunks, in this process, one after another."""
    bounds(period)
    return sum(snapshot_chunk.run(ids, period) for ids in chunks(municipality_id, chunk))


@shared_task(name="aggregation.chunk")
def snapshot_chunk(institution_ids: list[int], period: str) -> int:
    with institutions_scope(institution_ids) as scope:
        return indicators.snapshot_all(sorted(scope.institution_ids), period)


@shared_task(name="aggregation.institution")
def snapshot_institution(institution_id: int, period: str) -> int:
    """Messages queued before the chunked tasks existed still run: a chunk of one."""
    return snapshot_chunk.run([institution_id], period)


def _periodic(key: str, period: str) -> int:
    claim = claim_period(key, "aggregation.fan_out")
    if claim is None:
        return 0   # this period ran already (a second beat, a repeated send)
    return fan_out_jobs(period, None, claim.id)


@shared_task(name="aggregation.quarterly")
def quarterly() -> int:
    """The beat's quarterly run: the quarter that has just ended, every institution, once per quarter."""
    period = previous_quarter(date.today())
    return _periodic(f"aggregation.quarterly:{period}", period)


@shared_task(name="aggregation.academic_year")
def academic_year_to_date() -> int:
    """On 6 May, for the annual report due by 15 May: the academic year so far, once a year."""
    today = date.today()
    start = today.year if today.month >= 9 else today.year - 1
    period = f"{start}-{start + 1}"
    return _periodic(f"aggregation.academic_year:{period}", period)
