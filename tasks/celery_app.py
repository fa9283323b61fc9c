"""Celery bound to the Flask app: every task runs in an app context with no tenant scope until it sets one, reports
to its outbox row (portal/jobs) and retries transient failures with backoff.

Without REDIS_URL tasks run in-process (task_always_eager): the embedded default needs no broker.
"""
from __future__ import annotations

import contextlib
import importlib
import logging
import random

from celery import Celery, Task, signals
from flask import Flask
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeout
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, NotSupportedError, PendingRollbackError, ProgrammingError, TimeoutError as PoolTimeout

from portal.extensions import db
from portal.jobs import services as jobs
from tasks.schedule import BEAT_SCHEDULE
from tenants.context import reset_scope, set_scope

log = logging.getLogger("portal.tasks")

# Listed, not discovered: a task module missing here is a task the worker does not know.
TASK_MODULES = (
    "tasks.accounts",
    "tasks.aggregation",
    "tasks.contests",
    "tasks.jobs",
    "tasks.mail",
    "tasks.nudges",
    "tasks.orders",
    "tasks.registry",
    "tasks.reminders",
    "tasks.storage",
)


def transient_errors() -> tuple[tuple, tuple]:
    """What is worth retrying (the database, the broker or the mail server unreachable) and what is not (a
    constraint or a bug: the same statement fails again)."""
    return ((DBAPIError, PendingRollbackError, PoolTimeout, BrokerError, RedisConnectionError, RedisTimeout, OSError),
            (IntegrityError, DataError, ProgrammingError, NotSupportedError))


def backoff_countdown(retries: int, factor: int, maximum: int) -> int:
    """Seconds before retry number `retries + 1`: exponential steps with equal jitter — half of each step fixed, the
    other half random. (Celery's full jitter draws from 0 … step, so it may draw 0 s several times running: eight
    retries could be spent in well under a second of outage, and a task failed for good during a five-second one.)
    With half of each step fixed the retries span at least half the sum of the steps: 255 s with the defaults
    (2, 300, 8 retries), 24 s with the fault tests' (1, 8) — an outage shorter than that never exhausts them."""
    step = min(maximum, factor * 2 ** retries)
    fixed = (step + 1) // 2
    return fixed + random.randint(0, step - fixed)


def discard_session() -> None:
    """End the task's session whatever became of its connection. When the database drops the connection mid-task,
    closing the session rolls back on a dead socket and raises; raised in a task's `finally`, that error would
    replace the task's own outcome — a scheduled retry (Celery's `Retry`) would become a failure for good. So the
    session is invalidated instead (its connections are discarded, never returned to the pool) and the error
    logged by its kind only."""
    try:
        db.session.remove()
    except DBAPIError as exc:
        log.warning("a task's session closed on a lost connection (%s): its connections are discarded",
                    type(exc).__name__)
        with contextlib.suppress(DBAPIError):    # nothing is left to tell: the connection is gone either way
            db.session.registry().invalidate()
        db.session.registry.clear()


def celery_init_app(app: Flask) -> Celery:
    policy = app.config["TASK_RETRY"]
    transient, permanent = transient_errors()

    class FlaskTask(Task):
        autoretry_for = transient
        dont_autoretry_for = permanent
        # Celery's own backoff is off: `retry` below draws the countdown (equal jitter, backoff_countdown).
        retry_backoff = False
        backoff_factor = policy["backoff"]
        backoff_max = policy["backoff_max"]
        max_retries = policy["max_retries"]

        def retry(self, args=None, kwargs=None, exc=None, throw=True, eta=None, countdown=None, max_retries=None,
                  **options):
            if countdown is None and eta is None:
                countdown = backoff_countdown(self.request.retries, self.backoff_factor, self.backoff_max)
            return super().retry(args=args, kwargs=kwargs, exc=exc, throw=throw, eta=eta, countdown=countdown,
                                 max_retries=max_retries, **options)

        def __call__(self, *args, **kwargs):
            with app.app_context():
                # Fail closed: a task never inherits the tenant of the request or task before it.
                token = set_scope(None)
                job_id = jobs.job_id_of(self.request.id)
                try:
                    if job_id is not None and not self._report(jobs.start, job_id, self.request.retries > 0):
                        log.info("job %s finished already: duplicate delivery of %s ignored", job_id, self.name)
                        return None
                    result = self.run(*args, **kwargs)
                    if job_id is not None:
                        self._report(jobs.finish, job_id)
                    return result
                finally:
                    # The session first (a session broken by a lost connection must not pass to the next task,
                    # and then leaving the scope has no transaction to refresh).
                    discard_session()
                    reset_scope(token)

        def _report(self, report, job_id: int, *args):
            """The job row's own updates retry like the task's work (they are outside `run`'s autoretry)."""
            try:
                return report(job_id, *args)
            except permanent:
                raise
            except transient as exc:
                discard_session()
                raise self.retry(exc=exc) from exc

        def on_failure(self, exc, task_id, args, kwargs, einfo):
            job_id = jobs.job_id_of(task_id)
            if job_id is None:
                return
            log.error("job %s (%s) failed for good: %s", job_id, self.name, type(exc).__name__)
            with app.app_context():
                try:
                    jobs.fail(job_id, exc)
                except Exception as report_error:  # the database is down: the relay sends the job again later
                    log.warning("job %s: failure not recorded (%s)", job_id, type(report_error).__name__)
                finally:
                    discard_session()

    celery = Celery(app.name, task_cls=FlaskTask)
    celery.conf.update(app.config["CELERY"])
    celery.conf.imports = TASK_MODULES

    for name in TASK_MODULES:
        importlib.import_module(name)

    celery.conf.beat_schedule = BEAT_SCHEDULE
    celery.set_default()
    app.extensions["celery"] = celery

    def fresh_pool_per_process(**_kwargs) -> None:
        # A forked pool process must not share the parent's database connections.
        with app.app_context():
            db.engine.dispose(close=False)

    # One worker process has one app: the first registration stands (tests create many apps, and no worker).
    signals.worker_process_init.connect(fresh_pool_per_process, weak=False, dispatch_uid="nastavnik-fresh-pool")
    signals.worker_ready.connect(_relay_on_start, weak=False, dispatch_uid="nastavnik-relay-on-start")
    return celery


def _relay_on_start(sender=None, **_kwargs) -> None:
    """A worker that starts sends what waited in the outbox while no worker (or no broker) was there."""
    try:
        sender.app.send_task("jobs.relay", retry=False)
    except Exception as exc:  # the broker went away again; the beat's relay will do it
        log.warning("relay at worker start not sent: %s", type(exc).__name__)
