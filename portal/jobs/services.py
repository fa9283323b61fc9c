"""The outbox: `submit` puts a job into the caller's transaction; when that transaction commits the job is handed
to the broker (or, in the embedded default, run in-process). If the broker is down the job simply waits, committed,
for the relay (portal/jobs/relay.py). A request never talks to the broker inside its transaction and never fails
because the broker is down.

Workers report through `start`, `finish` and `fail` (tasks/celery_app.py), so a page can show what happened."""
from __future__ import annotations

import logging
import time
from collections import Counter

from flask import current_app, has_app_context
from sqlalchemy import event, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from portal import clock
from portal.exceptions import Invalid
from portal.extensions import db
from portal.jobs.models import Job, JobStatus
from tenants.context import current_scope
from tenants.queries import get_in_cities_or_404

log = logging.getLogger("portal.jobs")
_OUTBOX = "outbox_job_ids"
_broker_down_until = 0.0   # per process: after a failed send, leave sending to the relay for a while
BROKER_BACKOFF_SECONDS = 10.0


now = clock.now  # the application's clock, not the database's: every node compares alike


# --- submitting ---------------------------------------------------------------------------------------------------

def submit(task: str, *args: int | str, key: str | None = None, parent_id: int | None = None,
           municipality_id: int | None = None) -> Job:
    """A job for `task(*args)` in the current transaction; it is sent once the caller commits. Ids only."""
    job = Job(task=task, args=list(args), key=key, parent_id=parent_id, municipality_id=municipality_id,
              status=JobStatus.PENDING, created_at=now())
    db.session.add(job)
    return job


def submit_many(task: str, arg_lists: list[list], *, parent_id: int | None = None,
                municipality_id: int | None = None) -> list[int]:
    """Many jobs of one task in one multi-row insert (a fan-out); sent once the caller commits."""
    if not arg_lists:
        return []
    stamp = now()
    ids = list(db.session.execute(insert(Job).returning(Job.id), [
        {"task": task, "args": list(a), "parent_id": parent_id, "municipality_id": municipality_id,
         "status": JobStatus.PENDING, "sends": 0, "attempts": 0, "error": "", "created_at": stamp}
        for a in arg_lists]).scalars())
    db.session.info.setdefault(_OUTBOX, set()).update(ids)
    return ids


def claim_period(key: str, task: str, municipality_id: int | None = None) -> Job | None:
    """Once per period: the job that stands for `key` («registry.yearly:2027»), or None if that period already
    ran — so two beats, or a beat that sends twice, start a yearly or quarterly job only once."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    stamp = now()
    job_id = db.session.execute(
        dialect.insert(Job).values(task=task, args=[], key=key, municipality_id=municipality_id,
                                   status=JobStatus.DONE, sends=0, attempts=1, error="", created_at=stamp,
                                   started_at=stamp, finished_at=stamp)
        .on_conflict_do_nothing(index_elements=["key"]).returning(Job.id)).scalar_one_or_none()
    return db.session.get(Job, job_id) if job_id is not None else None


def retry(job: Job) -> Job:
    """A person's «Повторить»: the failed job (or the failed parts of a fan-out) goes back to the outbox."""
    parts = list(db.session.execute(db.select(Job).where(Job.parent_id == job.id,
                                                         Job.status == JobStatus.FAILED)).scalars())
    if job.status is not JobStatus.FAILED and not parts:
        raise Invalid("job", "Задача не завершилась ошибкой: повторять нечего.")
    for row in ([job] if job.status is JobStatus.FAILED else []) + parts:
        row.status, row.error, row.sends, row.attempts, row.sent_at = JobStatus.PENDING, "", 0, 0, None
        row.started_at = row.finished_at = None
        db.session.info.setdefault(_OUTBOX, set()).add(row.id)
    return job


# --- what a page shows ----------------------------------------------------------------------------------------------

def city_job(job_id: int) -> Job:
    """A job of one of the current scope's municipalities (jobs are platform rows: the check is here, once)."""
    return get_in_cities_or_404(Job, job_id, current_scope().municipality_ids, "Задача не найдена.")


def progress(job: Job) -> dict:
    """The state a waiting page shows: of a single job, or of a fan-out's parts."""
    counts = Counter(dict(db.session.execute(db.select(Job.status, db.func.count(Job.id))
                                             .where(Job.parent_id == job.id).group_by(Job.status)).all()))
    total = sum(counts.values())
    if not total:
        return {"job": job, "status": job.status, "total": 1, "done": int(job.status is JobStatus.DONE),
                "failed": int(job.status is JobStatus.FAILED), "finished": job.status.finished}
    failed, done = counts[JobStatus.FAILED], counts[JobStatus.DONE]
    finished = failed + done == total
    status = (JobStatus.FAILED if failed and finished else JobStatus.DONE if finished
              else JobStatus.RUNNING if done or counts[JobStatus.RUNNING] else JobStatus.QUEUED)
    return {"job": job, "status": status, "total": total, "done": done, "failed": failed, "finished": finished}


# --- the worker's reports (tasks/celery_app.py) ---------------------------------------------------------------------

def start(job_id: int, retrying: bool = False) -> bool:
    """A worker starts the job; False if it is finished already (a duplicate delivery: do nothing). A retry of the
    task itself may run after a failure was recorded: that failure was not the last word."""
    finished = [JobStatus.DONE] if retrying else [JobStatus.DONE, JobStatus.FAILED]
    started = db.session.execute(update(Job).where(Job.id == job_id, Job.status.notin_(finished))
                                 .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1, started_at=now())
                                 .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return bool(started)


def finish(job_id: int) -> None:
    db.session.execute(update(Job).where(Job.id == job_id).values(status=JobStatus.DONE, finished_at=now(), error="")
                       .execution_options(synchronize_session=False))
    db.session.commit()


def fail(job_id: int, exc: BaseException) -> None:
    db.session.execute(update(Job).where(Job.id == job_id, Job.status != JobStatus.DONE)
                       .values(status=JobStatus.FAILED, finished_at=now(), error=type(exc).__name__[:200])
                       .execution_options(synchronize_session=False))
    db.session.commit()


def job_id_of(celery_task_id: str | None) -> int | None:
    if celery_task_id and celery_task_id.startswith("job-") and celery_task_id[4:].isdigit():
        return int(celery_task_id[4:])
    return None


# --- sending after commit -------------------------------------------------------------------------------------------

def reset_broker_backoff() -> None:
    global _broker_down_until
    _broker_down_until = 0.0


def send(rows: list[tuple[int, str, list]]) -> list[int]:
    """Hand jobs to the broker; the ids sent. A dead broker costs one short timeout per process, then nothing
    until BROKER_BACKOFF_SECONDS pass — the relay sends what is left."""
    global _broker_down_until
    if not rows or time.monotonic() < _broker_down_until:
        return []
    celery = current_app.extensions["celery"]
    sent = []
    try:
        with celery.producer_or_acquire() as producer:
            for job_id, task, args in rows:
                celery.send_task(task, args=list(args), task_id=f"job-{job_id}", producer=producer, retry=False)
                sent.append(job_id)
    except Exception as exc:  # kombu and redis raise several unrelated types when the broker is down
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        log.warning("broker unavailable (%s): %d job(s) left for the relay", type(exc).__name__, len(rows) - len(sent))
    return sent


def mark_sent(ids: list[int]) -> None:
    if ids:
        db.session.execute(update(Job).where(Job.id.in_(ids), Job.status == JobStatus.PENDING)
                           .values(status=JobStatus.QUEUED, sent_at=now(), sends=Job.sends + 1)
                           .execution_options(synchronize_session=False))


def _dispatch(ids: set[int]) -> None:
    """After a commit: run in-process (embedded default) or send. Runs in a fresh app context, so its own session
    never touches the one that just committed."""
    app = current_app._get_current_object()
    with app.app_context():
        rows = [(j.id, j.task, j.args) for j in db.session.execute(
            db.select(Job).where(Job.id.in_(sorted(ids)), Job.status == JobStatus.PENDING).order_by(Job.id)).scalars()]
        if app.config["CELERY"]["task_always_eager"]:
            db.session.remove()
            for job_id, task, args in rows:
                run_inline(job_id, task, args)
            return
        try:
            mark_sent(send(rows))
            db.session.commit()
        except Exception:  # the database went away between commit and send: the relay sends them later
            log.exception("could not record sent jobs")
            db.session.rollback()


def run_inline(job_id: int, task: str, args: list) -> None:
    """The embedded default: the task runs here, as a worker would run it (its failures end in the job row)."""
    celery = current_app.extensions["celery"]
    result = celery.tasks[task].apply(args=list(args), task_id=f"job-{job_id}", throw=False)
    if result.failed():
        log.error("job %s (%s) failed in-process: %s", job_id, task, type(result.result).__name__)


@event.listens_for(Session, "after_flush")
def _collect(session: Session, flush_context) -> None:
    ids = [o.id for o in session.new if isinstance(o, Job) and o.status is JobStatus.PENDING]
    if ids:
        session.info.setdefault(_OUTBOX, set()).update(ids)


@event.listens_for(Session, "after_commit")
def _send_committed(session: Session) -> None:
    ids = session.info.pop(_OUTBOX, None)
    if not ids:
        return

    if not has_app_context():
        return  # outside the app (a migration's session): the relay sends them
    try:
        _dispatch(ids)
    except Exception:  # the change is committed: whatever happens here, the caller must not think otherwise
        log.exception("jobs %s committed but not dispatched: the relay sends them", sorted(ids))
    if current_app.config["CELERY"]["task_always_eager"]:
        # Run in-process, the jobs changed their own rows: the caller's copies reload on next access. (Tenant rows
        # leave the identity map when the scope changes; other rows the caller holds are not expired, because
        # templates read them after the session is gone.)
        for obj in list(session.identity_map.values()):
            if isinstance(obj, Job):
                session.expire(obj)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_OUTBOX, None)
