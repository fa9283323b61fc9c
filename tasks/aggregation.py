"""Quarterly and academic-year indicators: a fan-out puts one job per institution into the outbox (one multi-row
insert); each job takes ids and a period label only, computes from live data and upserts its snapshot (acks late,
idempotent: a job delivered twice recomputes the same row, never a second one)."""
from __future__ import annotations

from celery import shared_task


def _institutions(municipality_id: int | None) -> list[int]:
    from portal.extensions import db
    from tenants.context import platform_scope
    from tenants.models import Institution

    with platform_scope("aggregation: enumerate institutions"):
        stmt = db.select(Institution.id).order_by(Institution.id)
        if municipality_id is not None:
            stmt = stmt.where(Institution.municipality_id == municipality_id)
        return list(db.session.execute(stmt).scalars())


def fan_out_jobs(period: str, municipality_id: int | None, parent_id: int | None) -> int:
    """The parts of one recompute as jobs under `parent_id`, committed together; a redelivered fan-out finds its
    parts already there and adds none."""
    from portal.extensions import db
    from portal.jobs.models import Job
    from portal.jobs.services import submit_many
    from portal.roadmap.indicators import bounds

    bounds(period)  # a bad label fails here, before anything is queued
    ids = _institutions(municipality_id)
    if parent_id is not None and db.session.execute(db.select(Job.id).where(Job.parent_id == parent_id).limit(1)).first():
        return len(ids)
    submit_many("aggregation.institution", [[i, period] for i in ids], parent_id=parent_id,
                municipality_id=municipality_id)
    db.session.commit()
    return len(ids)


@shared_task(name="aggregation.fan_out", bind=True)
def fan_out(self, period: str | None = None, municipality_id: int | None = None) -> int:
    from datetime import date

    from portal.jobs.services import job_id_of
    from portal.roadmap.indicators import previous_quarter

    return fan_out_jobs(period or previous_quarter(date.today()), municipality_id, job_id_of(self.request.id))


def run_inline(period: str, municipality_id: int | None = None) -> int:
    """The command line's «now»: the same per-institution work, in this process, one after another."""
    from portal.roadmap.indicators import bounds

    bounds(period)
    ids = _institutions(municipality_id)
    for institution_id in ids:
        snapshot_institution.run(institution_id, period)
    return len(ids)


@shared_task(name="aggregation.institution")
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


def _periodic(key: str, period: str) -> int:
    from portal.jobs.services import claim_period

    claim = claim_period(key, "aggregation.fan_out")
    if claim is None:
        return 0   # this period ran already (a second beat, a repeated send)
    return fan_out_jobs(period, None, claim.id)


@shared_task(name="aggregation.quarterly")
def quarterly() -> int:
    """The beat's quarterly run: the quarter that has just ended, every institution, once per quarter."""
    from datetime import date

    from portal.roadmap.indicators import previous_quarter

    period = previous_quarter(date.today())
    return _periodic(f"aggregation.quarterly:{period}", period)


@shared_task(name="aggregation.academic_year")
def academic_year_to_date() -> int:
    from datetime import date

    today = date.today()
    start = today.year if today.month >= 9 else today.year - 1
    period = f"{start}-{start + 1}"
    return _periodic(f"aggregation.academic_year:{period}", period)
