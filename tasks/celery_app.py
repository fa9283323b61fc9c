"""Celery bound to the Flask app: every task runs in an app context with no tenant scope until it sets one.

Without REDIS_URL tasks run in-process (task_always_eager): the embedded default needs no broker.
"""
from __future__ import annotations

from celery import Celery, Task
from flask import Flask

from tenants.context import reset_scope, set_scope


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                # Fail closed: a task never inherits the tenant of the request or task before it.
                token = set_scope(None)
                try:
                    return self.run(*args, **kwargs)
                finally:
                    reset_scope(token)
                    from portal.extensions import db
                    db.session.remove()

    redis_url = app.config["REDIS_URL"]
    celery = Celery(app.name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=redis_url or "memory://",
        result_backend=redis_url or "cache+memory://",
        task_always_eager=app.config["CELERY_EAGER"],
        task_eager_propagates=True,
        task_ignore_result=True,
        # Acknowledge after the work is done, so a killed worker's task is redelivered; tasks are idempotent.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": app.config["CELERY_VISIBILITY_TIMEOUT"],
                                  "unacked_restore_interval": app.config["CELERY_RESTORE_INTERVAL"],
                                  "unacked_restore_throttle": app.config["CELERY_RESTORE_THROTTLE"],
                                  "unacked_mutex_expire": app.config["CELERY_RESTORE_LOCK_SECONDS"],
                                  "socket_connect_timeout": 2, "socket_timeout": 5},
        redis_socket_connect_timeout=2,
        timezone="Asia/Yekaterinburg",
        enable_utc=True,
    )
    _import_task_modules()
    from tasks.schedule import beat_schedule

    celery.conf.beat_schedule = beat_schedule()
    celery.set_default()
    app.extensions["celery"] = celery
    return celery


def _import_task_modules() -> None:
    """Every module of the tasks package registers its tasks (and periodic jobs) on import."""
    import importlib
    import pkgutil

    import tasks

    for module in pkgutil.iter_modules(tasks.__path__):
        if module.name not in {"celery_app", "worker", "schedule", "enqueue"}:
            importlib.import_module(f"tasks.{module.name}")
