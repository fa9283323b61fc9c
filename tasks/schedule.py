"""The one beat schedule. Beat only enumerates and fans out; each job takes ids only."""
from __future__ import annotations

from celery.schedules import crontab

# Feature packages add their periodic jobs here, in one place.
PERIODIC_JOBS: dict[str, dict] = {}


def beat_schedule() -> dict:
    return dict(PERIODIC_JOBS)
