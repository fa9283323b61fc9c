"""Celery tasks: the app, the one beat schedule, and one module per job family."""
