"""E-mail delivery: one job per message of the outbox table; SMTP errors retry with backoff (OSError)."""
from celery import shared_task


@shared_task(name="mail.deliver")
def deliver_mail(message_id: int) -> None:
    from portal.mail import deliver

    deliver(message_id)
