"""E-mail delivery."""
from celery import shared_task


@shared_task(name="mail.deliver", autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def deliver_mail(message_id: int) -> None:
    from portal.mail import deliver

    deliver(message_id)
