"""Daily reminders: beat fans out one task per institution; each task takes an id only."""
from celery import shared_task

from tasks.schedule import crontab, periodic


@shared_task(name="reminders.fan_out")
def fan_out() -> int:
    from portal.extensions import db
    from tenants.context import platform_scope
    from tenants.models import Institution

    with platform_scope("daily reminders: enumerate institutions"):
        ids = list(db.session.execute(db.select(Institution.id).order_by(Institution.id)).scalars())
    for institution_id in ids:
        remind_institution.delay(institution_id)
    return len(ids)


@shared_task(name="reminders.institution", autoretry_for=(OSError,), retry_backoff=60, max_retries=3)
def remind_institution(institution_id: int) -> dict:
    from dataclasses import asdict

    from portal.extensions import db
    from portal.notifications.reminders import send_reminders
    from tenants.context import institution_scope
    from tenants.models import Institution

    with institution_scope(institution_id):
        return asdict(send_reminders(db.session.get(Institution, institution_id)))


periodic("daily-reminders", "reminders.fan_out", crontab(hour=7, minute=0))
