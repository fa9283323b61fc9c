"""The one beat schedule. Beat only enumerates and fans out; each job takes ids only.

Task modules add their periodic jobs with `periodic(...)` at import; `beat_schedule()` is what beat runs.
"""
from __future__ import annotations

from celery.schedules import crontab  # noqa: F401  (for the modules that declare jobs)

PERIODIC_JOBS: dict[str, dict] = {}


def periodic(name: str, task: str, schedule, args: tuple = ()) -> None:
    PERIODIC_JOBS[name] = {"task": task, "schedule": schedule, "args": args}


def beat_schedule() -> dict:
    return dict(sorted(PERIODIC_JOBS.items()))
