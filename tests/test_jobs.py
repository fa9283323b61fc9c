"""The outbox: a job commits with the change or not at all, runs once, retries transient failures with backoff,
says «не выполнено» with a retry when it finally fails; the relay sends what waited and what the broker lost; one
beat holds the lock; a period is claimed once."""
from __future__ import annotations

import os
from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from portal.extensions import db
from portal.jobs import services as jobs
from portal.jobs.models import Job, JobStatus
from portal.registry.models import RegistryExport
from tenants.access import Role
from tenants.context import platform_scope
from tests.factories import make_institution, make_municipality, make_user

REDIS = os.environ.get("REDIS_URL", "")


def _jobs() -> list[Job]:
    with platform_scope("test check"):
        db.session.expire_all()
        return list(db.session.query(Job).order_by(Job.id))


def test_a_job_is_committed_with_the_change_or_not_at_all(app):
    city = make_municipality()
    with platform_scope("test"):
        from portal.registry.registry import request_export

        request_export(city.id, None)
        db.session.rollback()   # the request failed after writing: neither the export nor its job exist
        assert db.session.query(RegistryExport).count() == 0
    assert _jobs() == []
    with platform_scope("test"):
        request_export(city.id, None)
        db.session.commit()
    job, answer = _jobs()
    assert (job.task, job.status, job.attempts) == ("registry.build", JobStatus.DONE, 1)   # run in-process, once
    # the build's own step, committed with the finished export: it answers the roadmap
    assert (answer.task, answer.args, answer.status) == ("registry.answer_roadmap", job.args, JobStatus.DONE)


def test_a_job_delivered_twice_runs_once(app):
    city = make_municipality()
    make_institution(city)
    celery = app.extensions["celery"]
    with platform_scope("test"):
        job = jobs.submit("aggregation.fan_out", "2023-Q1", city.id, municipality_id=city.id)
        db.session.commit()
    celery.tasks["aggregation.fan_out"].apply(args=["2023-Q1", city.id], task_id=f"job-{job.id}")  # a redelivery
    parts = [j for j in _jobs() if j.parent_id == job.id]
    assert len(parts) == 1 and parts[0].attempts == 1 and all(j.status is JobStatus.DONE for j in _jobs())


def test_transient_errors_retry_with_backoff_and_jitter_then_fail_where_the_user_sees_it(app, client, login,
                                                                                       monkeypatch):
    from portal.registry import registry

    city = make_municipality()
    make_institution(city)
    calls = []

    def database_gone(*args, **kwargs):
        calls.append(1)
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(registry, "rows", database_gone)
    task = app.extensions["celery"].tasks["registry.build"]
    assert issubclass(OperationalError, task.autoretry_for) and task.backoff_factor == 2 and task.backoff_max == 300
    assert task.max_retries == app.config["TASK_RETRY"]["max_retries"] == 8
    login(make_user((Role.COORDINATOR, city)))
    assert client.post(f"/m/{city.slug}/registry").status_code == 302
    assert len(calls) == 1 + 8   # the first try and every retry, then it gives up
    with platform_scope("check"):
        export = db.session.query(RegistryExport).one()
        assert export.job.status is JobStatus.FAILED and export.job.error == "OperationalError"
    page = client.get(f"/m/{city.slug}/registry").get_data(as_text=True)
    assert "Не выполнено" in page and "Повторить" in page and "В очереди" not in page
    assert 'hx-trigger="load' not in page   # a finished job does not poll

    monkeypatch.undo()
    r = client.post(f"/m/{city.slug}/registry/{export.id}/retry", headers={"HX-Request": "true"})
    assert r.status_code == 200 and "XLSX" in r.get_data(as_text=True)
    with platform_scope("check"):
        db.session.expire_all()
        assert db.session.get(RegistryExport, export.id).state.value == "done"
    assert client.post(f"/m/{city.slug}/registry/{export.id}/retry").status_code == 422   # nothing to retry now


def test_a_connection_lost_mid_task_still_retries_when_closing_its_session_fails_too(app, client, login, monkeypatch):
    """The fault test's CI failure: the database dropped the connection under a chunk, the task scheduled its retry,
    and then closing the session rolled back on the dead socket — that error replaced Celery's Retry, and the chunk
    failed for good. Here the first build and the first session close both meet the lost connection."""
    from portal.registry import registry

    city = make_municipality()
    make_institution(city)
    real_rows, real_remove, lost = registry.rows, db.session.remove, {"rows": 1, "close": 1}

    def rows_once_lost(*args, **kwargs):
        if lost["rows"]:
            lost["rows"] -= 1
            raise OperationalError("SELECT", {}, ConnectionError("server closed the connection unexpectedly"))
        return real_rows(*args, **kwargs)

    def remove_once_lost():
        if lost["close"] and not lost["rows"]:
            lost["close"] -= 1
            real_remove()
            raise OperationalError("ROLLBACK", {}, ConnectionError("the connection is lost"))
        real_remove()

    monkeypatch.setattr(registry, "rows", rows_once_lost)
    monkeypatch.setattr(db.session, "remove", remove_once_lost)
    login(make_user((Role.COORDINATOR, city)))
    assert client.post(f"/m/{city.slug}/registry").status_code == 302
    assert lost == {"rows": 0, "close": 0}
    with platform_scope("check"):
        db.session.expire_all()
        export = db.session.query(RegistryExport).one()
        assert export.job.status is JobStatus.DONE and export.state.value == "done"


def test_retries_span_at_least_half_their_steps_so_a_short_outage_never_exhausts_them():
    """Full jitter could draw 0 s eight times running: a five-second outage then failed a chunk for good (the fault
    test's CI failure). Equal jitter keeps half of every step."""
    import random

    from tasks.celery_app import backoff_countdown

    random.seed(16)
    for factor, maximum, retries, least in ((2, 300, 8, 255), (1, 8, 8, 24)):
        totals = [sum(backoff_countdown(n, factor, maximum) for n in range(retries)) for _ in range(2000)]
        assert min(totals) >= least
        assert max(backoff_countdown(n, factor, maximum) for n in range(retries) for _ in range(200)) <= maximum
    assert {backoff_countdown(3, 2, 300) for _ in range(200)} == set(range(8, 17))   # still jittered: 8 … 16 s


def test_a_failed_recompute_says_so_and_its_retry_finishes_it(app, client, login, monkeypatch):
    from portal.roadmap import indicators

    city = make_municipality()
    make_institution(city), make_institution(city)
    login(make_user((Role.COORDINATOR, city)))
    real = indicators.snapshot_all
    monkeypatch.setattr(indicators, "snapshot_all", lambda *a, **k: (_ for _ in ()).throw(
        OperationalError("INSERT", {}, TimeoutError("timeout"))))
    r = client.post(f"/m/{city.slug}/indicators/recompute", data={"period": "2023-Q1"}, headers={"HX-Request": "true"})
    text = r.get_data(as_text=True)
    assert "Не выполнено: пересчитано 0 из 2" in text and "Повторить" in text
    monkeypatch.setattr(indicators, "snapshot_all", real)
    parent = next(j for j in _jobs() if j.parent_id is None)
    r = client.post(f"/m/{city.slug}/indicators/jobs/{parent.id}/retry", headers={"HX-Request": "true"})
    assert "Готово: пересчитано 2" in r.get_data(as_text=True)


def test_a_constraint_error_is_not_retried(app):
    from sqlalchemy.exc import IntegrityError

    task = app.extensions["celery"].tasks["aggregation.institution"]
    assert IntegrityError in task.dont_autoretry_for


def test_a_period_is_claimed_once(app):
    with platform_scope("test"):
        first = jobs.claim_period("registry.yearly:2031", "registry.yearly")
        db.session.commit()
        second = jobs.claim_period("registry.yearly:2031", "registry.yearly")
        db.session.commit()
    assert first is not None and second is None and len(_jobs()) == 1


def test_issuing_an_order_commits_its_notifications_as_a_job(app):
    from portal.mentoring.orders import issue_checked as issue
    from portal.notifications.models import Notification
    from tenants.context import institution_scope
    from tests.factories import make_group, make_staff, order_items

    inst = make_institution()
    mentor, mentee = make_staff(inst), make_staff(inst)
    for person in (mentor, mentee):
        user = make_user((Role.MENTOR, inst))
        with platform_scope("link"):
            db.session.get(type(person), person.id).user_id = user.id
            db.session.commit()
    group = make_group(inst, mentors=[mentor], mentees=[mentee])
    with institution_scope(inst.id):
        from portal.mentoring.models import Order, OrderGroup
        from portal.mentoring.states import OrderKind
        from datetime import date

        order = Order(institution_id=inst.id, kind=OrderKind.PAIRS, number="12", issued_on=date(2024, 9, 2),
                      title="О закреплении наставников", items=order_items(inst, "Закрепить"))
        db.session.add(order)
        db.session.flush()
        db.session.add(OrderGroup(order_id=order.id, group_id=group.id))
        db.session.commit()
        issue(db.session.get(Order, order.id), None)
    (job,) = [j for j in _jobs() if j.task == "orders.notify_issued"]
    assert job.status is JobStatus.DONE and job.args == [order.id]
    with platform_scope("check"):
        assert db.session.query(Notification).filter_by(kind="assignment").count() == 2
    # delivered again (a redelivery after a lost acknowledgement): nobody is notified twice
    app.extensions["celery"].tasks["orders.notify_issued"].apply(args=[order.id])
    with platform_scope("check"):
        assert db.session.query(Notification).filter_by(kind="assignment").count() == 2


# --- with Redis: the relay and the beat lock --------------------------------------------------------------------

@pytest.fixture()
def broker(app):
    if not REDIS:
        pytest.skip("needs REDIS_URL")
    import redis

    from tasks.celery_app import celery_init_app

    client = redis.Redis.from_url(REDIS)
    client.flushdb()
    app.config["CELERY"]["task_always_eager"] = False
    celery_init_app(app)
    jobs.reset_broker_backoff()
    yield client
    client.flushdb()
    app.config["CELERY"]["task_always_eager"] = True
    celery_init_app(app)


def _queued_ids(client) -> set[str]:
    import json

    return {json.loads(m)["headers"]["id"] for m in client.lrange("celery", 0, -1)}


def test_relay_sends_what_waited_and_what_the_broker_lost_but_not_what_it_holds(app, broker):
    from portal.jobs.relay import relay

    with platform_scope("test"):
        waiting = jobs.submit("jobs.ping")
        db.session.flush()
        jobs.mark_sent([])   # nothing sent: as if the broker had been down at commit
        db.session.info.clear()
        db.session.commit()
        held, lost, worn = (jobs.submit("jobs.ping") for _ in range(3))
        db.session.commit()   # sent at once: the broker is up
    assert _queued_ids(broker) == {held.celery_id, lost.celery_id, worn.celery_id}
    broker.flushdb()   # the broker forgets two of them
    app.extensions["celery"].send_task("jobs.ping", task_id=held.celery_id)
    long_ago = jobs.now() - timedelta(minutes=5)
    with platform_scope("test"):
        db.session.query(Job).update({"created_at": long_ago, "sent_at": long_ago})
        db.session.query(Job).filter_by(id=worn.id).update({"sends": app.config["JOBS"]["max_sends"]})
        db.session.commit()
        assert relay() == {"sent": 2, "waiting": 0, "failed": 1}
    assert _queued_ids(broker) == {held.celery_id, lost.celery_id, waiting.celery_id}
    by_id = {j.id: j for j in _jobs()}
    assert by_id[worn.id].status is JobStatus.FAILED and by_id[lost.id].sends == 2 and by_id[held.id].sends == 1
    with platform_scope("test"):
        assert relay() == {"sent": 0, "waiting": 0, "failed": 0}   # nothing lost now


def test_a_second_beat_sends_nothing_until_the_first_lets_go(app, broker):
    from tasks.beat import LockedScheduler

    celery = app.extensions["celery"]
    celery.conf.beat_lock_key, celery.conf.beat_lock_ttl = "test:beat-lock", 2
    first = LockedScheduler(app=celery, lazy=True)
    second = LockedScheduler(app=celery, lazy=True)
    assert first.hold_lock() and not second.hold_lock()
    assert first.hold_lock() and not second.hold_lock()   # renewed by its holder, still refused to the other
    first._held = False   # the first beat dies without a word: its lock expires
    import time

    time.sleep(2.2)
    assert second.hold_lock() and not first.hold_lock()
