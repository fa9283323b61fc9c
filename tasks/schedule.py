"""The one beat schedule. Beat only enumerates and fans out; each job takes ids only.

Every periodic job is declared here and nowhere else. The yearly, quarterly and daily ones claim their period
(portal.jobs.services.claim_period) before they do anything, so a second beat or a repeated send does nothing; the
single beat itself is enforced by tasks/beat.py.
"""
from __future__ import annotations

import os

from celery.schedules import crontab

BEAT_SCHEDULE: dict[str, dict] = {
    # The outbox relay: sends what waited for the broker and what the broker lost (portal/jobs/relay.py).
    "outbox-relay": {"task": "jobs.relay", "schedule": float(os.environ.get("PORTAL_JOB_RELAY_EVERY", "15"))},
    "daily-reminders": {"task": "reminders.daily", "schedule": crontab(hour=7, minute=0)},
    # Pairs with no meeting and no progress for the weeks the institution set: the mentor, then the curator.
    "daily-inactivity-nudges": {"task": "nudges.daily", "schedule": crontab(hour=7, minute=30)},
    # After each quarter (on the 1st of January, April, July, October) and, for the annual report due by 15 May,
    # the academic year so far on 6 May.
    "quarterly-indicators": {"task": "aggregation.quarterly",
                             "schedule": crontab(hour=2, minute=0, day_of_month=1, month_of_year="1,4,7,10")},
    "academic-year-indicators": {"task": "aggregation.academic_year",
                                 "schedule": crontab(hour=3, minute=0, day_of_month=6, month_of_year=5)},
    # Stored files that no row refers to (a write whose transaction never committed), older than a day.
    "storage-sweep": {"task": "storage.sweep", "schedule": crontab(hour=5, minute=30)},
    # The registry of mentors for the regional institute, every 1 March (seed roadmap item 27).
    "registry-every-march": {"task": "registry.yearly",
                             "schedule": crontab(hour=4, minute=0, day_of_month=1, month_of_year=3)},
    # The region's merged registry of mentors, tutors and experts (roadmap item 27), on the 1st of every month.
    "region-registry-monthly": {"task": "registry.region_monthly",
                                "schedule": crontab(hour=4, minute=30, day_of_month=1)},
}
