"""Account mail that must not reveal, by its cost or its failure, whether an account exists."""
from celery import shared_task

from portal.accounts.services import process_password_reset


@shared_task(name="accounts.password_reset")
def send_password_reset(request_id: int) -> None:
    process_password_reset(request_id)
