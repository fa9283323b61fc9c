"""The storage sweeper: files no row refers to, once a day."""
from datetime import date

from celery import shared_task

from portal.jobs.services import claim_period
from portal.storage.sweeper import sweep as run_sweep
from tenants.context import platform_scope


@shared_task(name="storage.sweep")
def sweep() -> int:
    with platform_scope("storage sweeper: files without a row"):
        if claim_period(f"storage.sweep:{date.today().isoformat()}", "storage.sweep") is None:
            return 0
        return run_sweep()
