"""The app for the two-beats fault test: the yearly and quarterly jobs are due every second here (the real schedule,
tasks/schedule.py, has them once a year and once a quarter), so two beats would each send them many times."""
from tasks.worker import celery

celery.conf.beat_schedule = {
    "registry-every-second": {"task": "registry.yearly", "schedule": 1.0},
    "quarterly-indicators-every-second": {"task": "aggregation.quarterly", "schedule": 1.0},
}
