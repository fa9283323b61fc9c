"""Contest results: computed by a task when judging closes (ids only)."""
from celery import shared_task

from portal.contests.models import Contest
from portal.contests.services import compute_results
from portal.extensions import db
from tenants.context import across_institutions, platform_scope


@shared_task(name="contests.results")
def compute(contest_id: int, note: str = "") -> int:
    with platform_scope("contest results: find the contest's city"):
        municipality_id = db.session.execute(db.select(Contest.municipality_id).where(Contest.id == contest_id)).scalar_one()
    db.session.remove()
    with across_institutions(municipality_ids={municipality_id}, reason="contest results"):
        return compute_results(db.session.get(Contest, contest_id), note)
