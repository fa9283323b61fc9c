"""Isolation makers for background jobs: a job of a city (a recompute the city's coordinator waits for)."""
from __future__ import annotations

from portal.extensions import db
from tenants.context import platform_scope


def _job(city):
    from portal.jobs.models import Job, JobStatus

    with platform_scope("test maker"):
        row = Job(task="aggregation.fan_out", args=["2023-Q1", city.id], municipality_id=city.id,
                  status=JobStatus.FAILED)
        db.session.add(row)
        db.session.commit()
        return row.id


CITY_MAKERS = {"job_id": _job}
