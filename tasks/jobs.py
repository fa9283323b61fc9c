"""The outbox's own tasks: the relay (on the beat and at worker start) and a ping for deployment checks."""
from celery import shared_task

from portal.jobs.relay import relay as run_relay


@shared_task(name="jobs.relay", acks_late=False, max_retries=0)
def relay() -> dict:
    """Acknowledged at once: a relay that is lost is simply the next one, 15 s later."""
    return run_relay()


@shared_task(name="jobs.ping")
def ping() -> str:
    """A round trip through outbox, broker and worker (`flask jobs ping`); the job row turning «done» is the answer."""
    return "pong"
