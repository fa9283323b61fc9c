"""E-mail delivery: one job per message of the outbox table; SMTP errors retry with backoff (OSError)."""
from celery import shared_task

from portal.mail import deliver


@shared_task(name="mail.deliver")
def deliver_mail(message_id: int) -> None:
    deliver(message_id)
