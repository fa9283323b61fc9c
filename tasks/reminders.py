"""Daily reminders: beat fans out one job per institution, once per day; each job takes an id only."""
from dataclasses import asdict
from datetime import date

from celery import shared_task

from portal.extensions import db
from portal.jobs.services import claim_period, submit_many
from portal.reminders.services import send_reminders
from tenants.context import institution_scope, platform_scope
from tenants.models import Institution


@shared_task(name="reminders.daily")
def daily() -> int:
    with platform_scope("daily reminders: enumerate institutions"):
        claim = claim_period(f"reminders.daily:{date.today().isoformat()}", "reminders.daily")
        if claim is None:
            return 0   # today's reminders went out already (a second beat, a repeated send)
        ids = list(db.session.execute(db.select(Institution.id).order_by(Institution.id)).scalars())
        submit_many("reminders.institution", [[i] for i in ids], parent_id=claim.id)
        db.session.commit()
    return len(ids)


@shared_task(name="reminders.institution")
def remind_institution(institution_id: int) -> dict:
    with institution_scope(institution_id):
        return asdict(send_reminders(db.session.get(Institution, institution_id)))
