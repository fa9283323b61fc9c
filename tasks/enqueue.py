"""Putting work on the queue from a web request without ever hanging on a dead broker."""
from __future__ import annotations

import logging

from flask import current_app

from portal.errors import DomainError

log = logging.getLogger("portal.tasks")


class QueueUnavailable(DomainError):
    status, code = 503, "queue_unavailable"

    def __init__(self):
        super().__init__("Фоновая очередь задач сейчас недоступна. Изменения сохранены; повторите действие через минуту.")


def enqueue(task, *args, **kwargs):
    """Call after commit. Ids only as arguments: no personal data in the broker."""
    if current_app.config["CELERY_EAGER"]:
        return task.apply(args=args, kwargs=kwargs, throw=True)
    try:
        return task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception as exc:  # kombu and redis raise several unrelated types when the broker is down
        log.error("enqueue of %s failed: %s", task.name, type(exc).__name__)
        raise QueueUnavailable() from exc
