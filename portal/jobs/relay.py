"""The relay: sends what the outbox holds once the broker is back, and sends again what the broker lost.

It runs on the beat (every JOBS.relay_every seconds), when a worker starts, and from `flask jobs relay`. Several
relays at once are safe: on PostgreSQL each claims its rows with SKIP LOCKED, and tasks are idempotent anyway.

A job handed to the broker is lost when it is in no queue and in no worker's hands (Redis keeps the messages a
worker holds in its `unacked` hash until the task acknowledges) and it has not finished: a FLUSHALL, a Redis
restart without persistence, a message dropped while the database was down. Such a job is sent again after
JOBS.lost_after seconds. A broker that cannot be read this way falls back to JOBS.resend_after seconds.
"""
from __future__ import annotations

import json
import logging
import time
from datetime import timedelta

from flask import current_app
import redis

from portal.extensions import db
from portal.jobs.models import Job, JobStatus
from portal.jobs.services import now, send

log = logging.getLogger("portal.jobs")
BATCH = 2000
MAX_INSPECTED = 50_000   # beyond this many queued messages, reading the queue costs more than it saves
PRIORITY_STEPS = (0, 3, 6, 9)   # kombu's Redis transport keeps a list per priority step: "celery", "celery\x06\x163", …


def broker_task_ids() -> set[str] | None:
    """The ids of every task the broker holds (queued or in a worker's hands), or None when it cannot be read.

    Read twice, half a second apart, inside MULTI: a message moving from the queue to a worker is between two
    Redis commands for a moment, and must not look lost."""
    celery = current_app.extensions["celery"]
    url = celery.conf.broker_url or ""
    if not url.startswith(("redis://", "rediss://")):
        return None

    options = celery.conf.broker_transport_options or {}
    unacked_key = options.get("unacked_key", "unacked")
    queue = celery.conf.task_default_queue or "celery"
    lists = [queue if step == 0 else f"{queue}\x06\x16{step}" for step in PRIORITY_STEPS]
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10)
    seen: set[str] = set()
    try:
        for attempt in range(2):
            if attempt:
                time.sleep(0.5)
            pipe = client.pipeline(transaction=True)
            for name in lists:
                pipe.llen(name)
            pipe.hlen(unacked_key)
            sizes = pipe.execute()
            if sum(sizes) > MAX_INSPECTED:
                return None
            pipe = client.pipeline(transaction=True)
            for name in lists:
                pipe.lrange(name, 0, -1)
            pipe.hvals(unacked_key)
            *queued, held = pipe.execute()
            for raw in [m for q in queued for m in q]:
                seen.add(_task_id(json.loads(raw)))
            for raw in held:
                seen.add(_task_id(json.loads(raw)[0]))
    except (redis.RedisError, ValueError, KeyError, IndexError, TypeError) as exc:
        log.warning("relay cannot read the broker (%s): falling back to the resend timeout", type(exc).__name__)
        return None
    finally:
        client.close()
    seen.discard("")
    return seen


def _task_id(message: dict) -> str:
    return str((message.get("headers") or {}).get("id") or "")


def relay() -> dict:
    """Send the pending jobs and the lost ones; fail those delivered too often. Returns the counts."""
    cfg = current_app.config["JOBS"]
    in_broker = broker_task_ids()
    stamp = now()
    lost_before = stamp - timedelta(seconds=cfg["lost_after"] if in_broker is not None else cfg["resend_after"])
    fresh_before = stamp - timedelta(seconds=2)   # a job committed this instant is being sent by its own request
    stmt = (db.select(Job).where(db.or_(
        db.and_(Job.status == JobStatus.PENDING, Job.created_at <= fresh_before),
        db.and_(Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]), Job.sent_at <= lost_before)))
        .order_by(Job.id).limit(BATCH).execution_options(populate_existing=True))
    if db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    rows = list(db.session.execute(stmt).scalars())
    due, exhausted = [], []
    for job in rows:
        if job.status is not JobStatus.PENDING and in_broker is not None and job.celery_id in in_broker:
            continue   # a long queue or a long task: the broker still has it
        (exhausted if job.sends >= cfg["max_sends"] else due).append(job)
    for job in exhausted:
        job.status, job.finished_at, job.error = JobStatus.FAILED, stamp, "TooManyDeliveries"
    sent = set(send([(j.id, j.task, j.args) for j in due]))
    for job in due:
        if job.id in sent:
            job.status, job.sent_at, job.sends = JobStatus.QUEUED, stamp, job.sends + 1
    db.session.commit()
    result = {"sent": len(sent), "waiting": len(due) - len(sent), "failed": len(exhausted)}
    if any(result.values()):
        log.info("relay: %s", result)
    return result
