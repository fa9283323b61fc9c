"""Faults with real components (issue 16, item 8): PostgreSQL, a real worker and beat, a private redis-server and a
TCP proxy in front of PostgreSQL that the test cuts — never the machine's shared servers. Each fault ends with every
institution computed exactly once, no job waiting forever, one run per period with two beats."""
from __future__ import annotations

import os
import signal
import time
from datetime import date
from urllib.parse import urlsplit, urlunsplit

import pytest

from portal.extensions import db
from portal.jobs import services as jobs
from portal.jobs.models import Job, JobStatus
from portal.roadmap.models import Snapshot
from tenants.access import Role
from tenants.context import platform_scope
from tests.conftest import ON_POSTGRES
from tests.factories import make_institution, make_municipality, make_user
from tests.faults import PrivateRedis, TcpProxy, start_celery, stop, wait_until

# `commits`: the worker and beat are other processes, so the test's rows must really be committed (tests/conftest.py).
pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.commits,
              pytest.mark.skipif(not (ON_POSTGRES and os.environ.get("REDIS_URL")),
                                 reason="needs PostgreSQL and Redis (CI runs them)")]
PERIOD = "2023-Q1"


class Stack:
    """A private Redis, a proxy to PostgreSQL, and the worker and beat processes started on them."""

    def __init__(self, app, tmp_path):
        self.app, self.tmp = app, tmp_path
        self.redis = PrivateRedis()
        url = urlsplit(os.environ["DATABASE_URL"])
        self.pg = TcpProxy(url.hostname or "127.0.0.1", url.port or 5432)
        netloc = url.netloc.rsplit("@", 1)
        self.db_url = urlunsplit(url._replace(netloc=(netloc[0] + "@" if len(netloc) > 1 else "")
                                              + f"127.0.0.1:{self.pg.port}"))
        self.procs: list = []
        self.lock_key = f"test:beat-lock:{time.time_ns()}"
        from tasks.celery_app import celery_init_app

        app.config["CELERY"].update(broker_url=self.redis.url, result_backend=self.redis.url, task_always_eager=False)
        celery_init_app(app)
        jobs.reset_broker_backoff()

    def env(self) -> dict:
        return {"DATABASE_URL": self.db_url, "REDIS_URL": self.redis.url, "PORTAL_JOB_LOST_AFTER": "3",
                "PORTAL_JOB_RELAY_EVERY": "1", "PORTAL_TASK_RETRY_BACKOFF": "1", "PORTAL_TASK_RETRY_BACKOFF_MAX": "8",
                "PORTAL_BEAT_LOCK_KEY": self.lock_key, "PORTAL_BEAT_LOCK_TTL": "3", "ARGON2_TIME_COST": "1",
                "ARGON2_MEMORY_KIB": "1024"}

    def worker(self):
        proc = start_celery("worker", self.tmp / "worker.log", self.env())
        self.procs.append(proc)
        return proc

    def beat(self, name: str = "beat", app_module: str = "tasks.worker"):
        log = self.tmp / f"{name}.log"
        proc = start_celery("beat", log, self.env(), f"--schedule={self.tmp / (name + '.schedule')}", app=app_module)
        self.procs.append(proc)
        return proc, log

    def close(self):
        for proc in self.procs:
            stop(proc)
        self.pg.cut()
        self.redis.close()
        from tasks.celery_app import celery_init_app

        self.app.config["CELERY"].update(broker_url=os.environ["REDIS_URL"], result_backend=os.environ["REDIS_URL"],
                                         task_always_eager=True)
        celery_init_app(self.app)
        jobs.reset_broker_backoff()


@pytest.fixture()
def stack(app, request):
    import shutil
    import tempfile
    from pathlib import Path

    logs = Path(tempfile.mkdtemp(prefix=f"nastavnik-{request.node.name[:40]}-"))
    s = Stack(app, logs)
    yield s
    s.close()
    if not getattr(request.node, "failed", False) and not os.environ.get("PORTAL_KEEP_FAULT_LOGS"):
        shutil.rmtree(logs, ignore_errors=True)
    else:
        print(f"worker and beat logs kept in {logs}")


def _world(cities: int, per_city: int):
    made = []
    for _ in range(cities):
        city = make_municipality()
        made.append((city, [make_institution(city).id for _ in range(per_city)]))
    return made


def _snapshot_rows(period: str = PERIOD) -> list[int]:
    with platform_scope("test check"):
        rows = list(db.session.execute(db.select(Snapshot.institution_id).where(Snapshot.period == period)).scalars())
    db.session.remove()
    return rows


def _job_states() -> dict[JobStatus, int]:
    with platform_scope("test check"):
        rows = dict(db.session.execute(db.select(Job.status, db.func.count(Job.id)).group_by(Job.status)).all())
    db.session.remove()
    return rows


def _all_finished() -> bool:
    states = _job_states()
    return bool(states) and set(states) <= {JobStatus.DONE, JobStatus.FAILED}


def _recompute(app, city) -> None:
    client = app.test_client()
    user = make_user((Role.COORDINATOR, city))
    with client.session_transaction() as s:
        s["_user_id"], s["_fresh"], s["seen"], s["login_at"] = user.get_id(), True, time.time(), time.time()
    started = time.monotonic()
    r = client.post(f"/m/{city.slug}/indicators/recompute", data={"period": PERIOD}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and time.monotonic() - started < 5


def _fan_out_in_chunks(city, chunk: int = 3) -> None:
    """The recompute button's job, asking for small chunks so that the fault lands among many jobs."""
    with platform_scope("test: recompute in small chunks"):
        jobs.submit("aggregation.fan_out", PERIOD, city.id, chunk, municipality_id=city.id)
        db.session.commit()
    db.session.remove()


def _exactly_once(institutions: list[int], period: str = PERIOD) -> None:
    rows = _snapshot_rows(period)
    assert sorted(rows) == sorted(institutions), f"{len(rows)} snapshots for {len(institutions)} institutions"


def test_postgres_unreachable_for_seconds_during_an_aggregation_loses_nothing(app, stack):
    world = _world(2, 60)
    every = [i for _, ids in world for i in ids]
    stack.worker()
    stack.beat()
    for city, _ in world:
        _fan_out_in_chunks(city)
    wait_until(lambda: len(_snapshot_rows()) >= 10, 60, 0.05, "the aggregation under way")
    stack.pg.cut()   # PostgreSQL gone for the worker: connections dropped, new ones refused
    time.sleep(5)
    done_during = len(_snapshot_rows())
    stack.pg.restore()
    assert done_during < len(every), "the outage should have landed in the middle of the work"
    wait_until(lambda: len(_snapshot_rows()) == len(every) and _all_finished(), 120, 0.5, "every institution")
    _exactly_once(every)
    assert set(_job_states()) == {JobStatus.DONE}


def test_redis_stopped_while_people_work_then_back_sends_everything_once(app, stack, login):
    from portal.mail import OutboxMessage
    from portal.registry.models import RegistryExport

    (city, ids), = _world(1, 3)
    coordinator = make_user((Role.COORDINATOR, city), email="coordinator@test.ru")
    stack.worker()
    stack.beat()
    client = app.test_client()
    login(coordinator, client)
    assert client.post(f"/m/{city.slug}/registry").status_code == 302   # one export before the outage
    stack.redis.stop()
    started = time.monotonic()
    assert client.post(f"/m/{city.slug}/registry").status_code == 302   # and one while Redis is down
    assert app.test_client().post("/password/forgot", data={"email": "coordinator@test.ru"}).status_code == 200
    r = client.post(f"/m/{city.slug}/indicators/recompute", data={"period": PERIOD}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "В очереди" in r.get_data(as_text=True)
    assert time.monotonic() - started < 10   # nobody waits on the dead broker
    page = client.get(f"/m/{city.slug}/registry").get_data(as_text=True)
    assert "В очереди" in page
    time.sleep(2)
    stack.redis.start()   # back, empty: whatever it held is gone
    wait_until(_all_finished, 90, 0.5, "every job finished after Redis came back")
    assert set(_job_states()) == {JobStatus.DONE}
    with platform_scope("check"):
        assert [e.state.value for e in db.session.query(RegistryExport)] == ["done", "done"]
        assert db.session.query(OutboxMessage).filter_by(status="pending").count() == 0
        assert db.session.query(OutboxMessage).count() == 1
    db.session.remove()
    _exactly_once(ids)
    page = client.get(f"/m/{city.slug}/registry").get_data(as_text=True)
    assert "В очереди" not in page and page.count("registry.xlsx") == 2


def test_flushall_in_the_middle_of_a_fan_out_is_recovered_by_the_relay(app, stack):
    world = _world(1, 150)
    every = world[0][1]
    stack.worker()
    stack.beat()
    _fan_out_in_chunks(world[0][0])
    wait_until(lambda: len(_snapshot_rows()) >= 15, 60, 0.05, "the fan-out under way")
    stack.redis.client().flushall()   # every queued message gone
    assert len(_snapshot_rows()) < len(every), "the flush should have landed in the middle of the work"
    wait_until(lambda: len(_snapshot_rows()) == len(every) and _all_finished(), 120, 0.5, "every institution")
    _exactly_once(every)
    assert set(_job_states()) == {JobStatus.DONE}


def test_two_beats_run_each_period_once_and_the_second_takes_over_when_the_first_dies(app, stack):
    from portal.registry.models import RegistryExport
    from portal.roadmap.indicators import previous_quarter

    world = _world(2, 5)
    every = [i for _, ids in world for i in ids]
    stack.worker()
    first, first_log = stack.beat("beat-1", "tests.beat_every_second")
    second, second_log = stack.beat("beat-2", "tests.beat_every_second")
    time.sleep(6)   # the yearly and quarterly jobs are due every second here
    sent = [log.read_text().count("Sending due task") for log in (first_log, second_log)]
    assert min(sent) == 0 and max(sent) >= 3, f"exactly one beat sends, the other waits: {sent}"
    holder, standby_log = (first, second_log) if sent[0] else (second, first_log)
    holder.send_signal(signal.SIGKILL)   # no goodbye: its lock expires after the TTL
    wait_until(lambda: "Sending due task" in standby_log.read_text(), 30, 0.5, "the standby beat taking over")
    time.sleep(2)
    wait_until(_all_finished, 60, 0.5, "every job finished")
    with platform_scope("check"):
        exports = db.session.query(RegistryExport).all()
    db.session.remove()
    assert sorted(e.municipality_id for e in exports) == sorted(c.id for c, _ in world)   # one per city this year
    _exactly_once(every, previous_quarter(date.today()))
    with platform_scope("check"):
        claims = [j.key for j in db.session.query(Job).filter(Job.key.is_not(None))]
    assert sorted(claims) == sorted([f"registry.yearly:{date.today().year}",
                                     f"aggregation.quarterly:{previous_quarter(date.today())}"])


def test_the_region_registry_asked_for_while_redis_is_down_is_built_once_it_is_back(app, stack):
    """Item 7 through the outbox: the API answers 202 with a job to poll even while the broker is down; the relay sends
    the job when Redis returns, and the poll ends «done» with every city of the region in the file."""
    from portal.accounts.services import create_api_token
    from tests.factories import make_region, make_staff

    region = make_region()
    cities = [make_municipality(region=region) for _ in range(2)]
    for city in cities:
        make_staff(make_institution(city), position="tyutor")
    stack.worker()
    stack.beat()
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(make_user(Role.ADMIN), "test")
    stack.redis.stop()
    r = api.post(f"/api/v1/r/{region.slug}/registry")
    assert r.status_code == 202 and r.get_json()["status"] == "queued" and r.get_json()["job_id"]
    poll = r.get_json()["poll"]
    time.sleep(2)
    stack.redis.start()
    def polled():
        # The test's requests share its app context, so one session: forget what an earlier poll loaded (a request
        # in production has a session of its own), or the export read while queued is answered from memory forever.
        db.session.expire_all()
        return (b := api.get(poll).get_json())["finished"] and b

    body = wait_until(polled, 90, 0.5, "the region's registry built")
    assert body["status"] == "done" and body["cities"] == 2 and body["row_count"] == 2
    assert set(_job_states()) == {JobStatus.DONE}
