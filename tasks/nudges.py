"""Daily nudges about inactive pairs: beat fans out one job per institution, once per day; each job takes an id."""
from dataclasses import asdict
from datetime import date

from celery import shared_task

from portal.extensions import db
from portal.jobs.services import claim_period, submit_many
from portal.pairs.nudges import nudge_inactive
from tenants.context import institution_scope, platform_scope
from tenants.models import Institution


@shared_task(name="nudges.daily")
def daily() -> int:
    with platform_scope("inactivity nudges: enumerate institutions"):
        claim = claim_period(f"nudges.daily:{date.today().isoformat()}", "nudges.daily")
        if claim is None:
            return 0   # today's nudges went out already
        ids = list(db.session.execute(db.select(Institution.id).order_by(Institution.id)).scalars())
        submit_many("nudges.institution", [[i] for i in ids], parent_id=claim.id)
        db.session.commit()
    return len(ids)


@shared_task(name="nudges.institution")
def nudge_institution(institution_id: int) -> dict:
    with institution_scope(institution_id):
        return asdict(nudge_inactive(db.session.get(Institution, institution_id)))
