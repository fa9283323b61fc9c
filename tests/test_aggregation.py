"""Indicators: figures against a hand-counted fixture, idempotent snapshots, the city roll-up, reports, the
command line, the recompute button; with Redis, a real worker — also one killed in the middle of the work."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from portal.extensions import db
from portal.mentoring.models import Acknowledgement, Meeting, Order
from portal.mentoring.states import GroupState, OrderKind, PlanItemStatus, ProgramState
from portal.roadmap.indicators import bounds, city_totals, compute, snapshot
from portal.roadmap.models import RoadmapTask, Snapshot, TaskStatus
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tests.factories import (make_group, make_institution, make_municipality, make_plan_item, make_program, make_staff,
                             make_user, order_items)
from tests.isolation_makers.roadmap import make_roadmap

REDIS = os.environ.get("REDIS_URL", "")
OLD, YOUNG = date(2000, 9, 1), date(2022, 9, 1)


def hand_counted_institution(city=None):
    """2023-Q1 of an institution whose figures are counted by hand in the test below."""
    inst = make_institution(city or make_municipality())
    mentor1, mentor2 = make_staff(inst, pedagogical_start=OLD), make_staff(inst, pedagogical_start=OLD)
    mentee1, mentee2 = make_staff(inst, pedagogical_start=YOUNG), make_staff(inst, pedagogical_start=YOUNG)
    young3 = make_staff(inst, pedagogical_start=YOUNG)
    make_staff(inst, pedagogical_start=OLD)
    g1 = make_group(inst, mentors=[mentor1], mentees=[mentee1], start=date(2022, 9, 1))
    g2 = make_group(inst, mentors=[mentor2], mentees=[mentee2], start=date(2022, 9, 1), state=GroupState.COMPLETED,
                    end_date=date(2023, 2, 15))
    make_group(inst, mentors=[mentor1], mentees=[young3], start=date(2023, 2, 1), state=GroupState.PROPOSED)
    p1 = make_program(g1, start=date(2022, 9, 1), months=9)
    make_program(g2, start=date(2022, 9, 1), months=6, state=ProgramState.COMPLETED, completed_at=date(2023, 2, 15))
    make_plan_item(p1, due=date(2023, 1, 10), status=PlanItemStatus.DONE)
    make_plan_item(p1, due=date(2023, 2, 10), status=PlanItemStatus.OVERDUE)
    make_plan_item(p1, due=date(2023, 3, 20))
    make_plan_item(p1, due=date(2023, 4, 10))
    roadmap = make_roadmap(inst.municipality_id)
    with platform_scope("fixture"):
        for held in (date(2022, 12, 20), date(2023, 1, 15), date(2023, 3, 1)):
            db.session.add(Meeting(institution_id=inst.id, group_id=g1.id, held_on=held, duration_minutes=40,
                                   format=g1.format, topic="Встреча"))
        order = Order(institution_id=inst.id, kind=OrderKind.PAIRS, number="7", issued_on=date(2023, 1, 10),
                      title="О наставничестве", items=order_items(inst, "Закрепить"), issued_at=datetime(2023, 1, 10))
        db.session.add(order)
        db.session.flush()
        for staff, done in ((mentor1, True), (mentee1, True), (young3, False)):
            db.session.add(Acknowledgement(institution_id=inst.id, order_id=order.id, staff_id=staff.id,
                                           due_date=date(2023, 1, 13), acknowledged_at=datetime(2023, 1, 11) if done else None))
        activity_id = roadmap.activities[0].id
        for period, due, status in (("2023-a", date(2023, 1, 5), TaskStatus.ACCEPTED),
                                    ("2023-b", date(2023, 2, 1), TaskStatus.OPEN),
                                    ("2023-c", date(2023, 4, 5), TaskStatus.OPEN)):
            db.session.add(RoadmapTask(institution_id=inst.id, activity_id=activity_id, period=period, due_date=due,
                                       working_due_date=due, status=status))
        db.session.commit()
    return inst


def test_figures_against_hand_counted_fixture(app):
    hand_counted_institution()  # a twin next door: none of its rows may be counted
    inst = hand_counted_institution()
    with institution_scope(inst.id):
        f = compute("2023-Q1", today=date(2023, 5, 1))
    assert (f["staff"], f["mentors"], f["mentees"], f["groups"]) == (6, 2, 2, 2)   # the proposed pair does not count
    assert (f["young"], f["young_with_mentor"], f["young_with_mentor_pct"]) == (3, 2, 66.7)
    assert (f["programs_active"], f["programs_completed"], f["programs_terminated"]) == (2, 1, 0)
    assert (f["items_done"], f["items_overdue"]) == (1, 2)
    assert f["meetings"] == 2 and (f["acks_total"], f["acks_done"]) == (3, 2)
    assert (f["tasks_total"], f["tasks_submitted"], f["tasks_accepted"], f["tasks_overdue"]) == (2, 1, 1, 1)
    assert f["satisfaction"] is None


def test_a_chunk_gives_each_institution_its_own_hand_counted_figures(app):
    from portal.roadmap.indicators import compute_all
    from tenants.context import institutions_scope

    city = make_municipality()
    a, b, empty = hand_counted_institution(city), hand_counted_institution(), make_institution(city)
    with institutions_scope([a.id, b.id, empty.id]):
        chunk = compute_all([a.id, b.id, empty.id], "2023-Q1", today=date(2023, 5, 1))
    with institution_scope(a.id):
        alone = compute("2023-Q1", today=date(2023, 5, 1))
    assert chunk[a.id] == chunk[b.id] == alone
    assert (alone["mentors"], alone["young_with_mentor"], alone["tasks_overdue"]) == (2, 2, 1)
    assert chunk[empty.id]["staff"] == 0 and chunk[empty.id]["young_with_mentor_pct"] is None


@pytest.mark.parametrize("part, whole, expected", [(1, 16, 6.3), (2, 3, 66.7), (1, 3, 33.3), (1, 8, 12.5),
                                                    (3, 40, 7.5), (0, 7, 0.0), (7, 7, 100.0)])
def test_percentages_round_halves_up_as_a_report_does(part, whole, expected):
    """6.25 % is «6,3 %» in a report (and in SQL's round), not the 6.2 of binary floats and banker's rounding."""
    from portal.roadmap.figures import tenths

    assert tenths(100 * part, whole) == expected


def _counted_chunk(n: int) -> int:
    from tests.query_budget import statements
    from tasks.aggregation import run_inline

    city = make_municipality()
    for _ in range(n):
        hand_counted_institution(city)
    with statements() as sent:
        assert run_inline("2023-Q1", city.id) == n
    return sent.count


def test_aggregating_ten_institutions_sends_the_statements_of_one(app):
    """Set-based: grouped queries and one upsert per chunk, never a round trip per institution."""
    assert _counted_chunk(10) == _counted_chunk(1)


def test_snapshot_upsert_refuses_an_institution_outside_the_scope(app):
    from portal.roadmap.figures import upsert_snapshots
    from tenants.context import TenantViolation

    mine, other = make_institution(), make_institution()
    with institution_scope(mine.id), pytest.raises(TenantViolation):
        upsert_snapshots("2023-Q1", {other.id: {}}, datetime(2023, 4, 1))


@pytest.mark.parametrize("period, expected", [("2023-Q1", (date(2023, 1, 1), date(2023, 3, 31))),
                                              ("2023-Q4", (date(2023, 10, 1), date(2023, 12, 31))),
                                              ("2022-2023", (date(2022, 9, 1), date(2023, 8, 31)))])
def test_periods(period, expected):
    assert bounds(period) == expected


@pytest.mark.parametrize("period", ["2023-Q5", "2023", "2022-2024", "весна"])
def test_bad_period_is_refused(period):
    from portal.errors import Invalid

    with pytest.raises(Invalid, match="2023-Q1"):
        bounds(period)


def test_snapshot_is_upserted_once_per_institution_and_period(app):
    inst = hand_counted_institution()
    with institution_scope(inst.id):
        first = snapshot(inst.id, "2023-Q1", today=date(2023, 5, 1))
        second = snapshot(inst.id, "2023-Q1", today=date(2023, 5, 1))
        assert first.id == second.id and db.session.query(Snapshot).count() == 1


def test_city_rolls_up_its_institutions_and_only_its_own(app, client, login):
    city = make_municipality()
    a, b = hand_counted_institution(city), hand_counted_institution(city)
    foreign = hand_counted_institution()
    from tasks.aggregation import run_inline

    assert run_inline("2023-Q1", city.id) == 2
    run_inline("2023-Q1", foreign.municipality_id)
    with institution_scope(a.id):
        mine = db.session.query(Snapshot).all()
    with institution_scope(b.id):
        mine += db.session.query(Snapshot).all()
    total = city_totals(mine)
    assert total["mentors"] == 4 and total["young"] == 6 and total["young_with_mentor_pct"] is not None
    login(make_user((Role.COORDINATOR, city)))
    page = client.get(f"/m/{city.slug}/indicators?period=2023-Q1").get_data(as_text=True)
    assert a.short_name in page and foreign.short_name not in page
    wb = load_workbook(io.BytesIO(client.get(f"/m/{city.slug}/indicators/indicators.xlsx?period=2023-Q1").data)).active
    rows = list(wb.iter_rows(values_only=True))
    assert rows[-1][0] == "Итого по городу" and rows[-1][2] == 4 and len(rows) == 4
    doc = Document(io.BytesIO(client.get(f"/m/{city.slug}/indicators/report.docx?period=2023-Q1").data))
    assert "АНАЛИТИЧЕСКИЙ ОТЧЁТ" in [p.text for p in doc.paragraphs]
    assert {r.cells[0].text for r in doc.tables[1].rows[1:]} == {a.short_name, b.short_name}


def test_institution_report_ready_to_sign(app, client, login):
    inst = hand_counted_institution()
    login(make_user((Role.HEAD, inst)))
    r = client.get(f"/i/{inst.slug}/indicators/report.docx?period=2022-2023")
    doc = Document(io.BytesIO(r.data))
    text = [p.text for p in doc.paragraphs]
    assert "ОТЧЁТ О РАБОТЕ ПО ОРГАНИЗАЦИИ НАСТАВНИЧЕСТВА" in text and any("____" in t for t in text)
    assert any("2022/2023 учебный год" in t for t in text)


def test_cli_aggregate(app):
    inst = hand_counted_institution()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["aggregate", "--period", "2023-Q1"])
    assert result.exit_code == 0 and "организаций — 1" in result.output
    bad = runner.invoke(args=["aggregate", "--period", "2023-Q7"])
    assert bad.exit_code != 0 and "2023-Q1" in bad.output
    with institution_scope(inst.id):
        assert db.session.query(Snapshot).one().figures["mentors"] == 2


def test_recompute_button_reports_progress(app, client, login):
    city = make_municipality()
    hand_counted_institution(city)
    login(make_user((Role.COORDINATOR, city)))
    r = client.post(f"/m/{city.slug}/indicators/recompute", data={"period": "2023-Q1"}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Готово: пересчитано 1" in r.get_data(as_text=True)


def test_a_finished_recompute_swaps_in_the_new_table_and_stops_polling(app, client, login):
    city = make_municipality()
    inst = hand_counted_institution(city)
    login(make_user((Role.COORDINATOR, city)))
    before = client.get(f"/m/{city.slug}/indicators?period=2023-Q1").get_data(as_text=True)
    assert 'id="indicators-table"' in before and "нет</td>" in before   # never computed yet
    page = client.post(f"/m/{city.slug}/indicators/recompute", data={"period": "2023-Q1"},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    table = page.split('id="indicators-table" hx-swap-oob="outerHTML"')[1]
    assert inst.short_name in table and "нет</td>" not in table.split("</tfoot>")[0]
    assert "hx-trigger" not in page.split('id="indicators-table"')[0]   # finished: no more polling


def test_a_failed_recompute_says_not_done_and_offers_a_retry_without_polling(app, client, login, monkeypatch):
    from portal.jobs.models import Job, JobStatus

    city = make_municipality()
    hand_counted_institution(city)
    login(make_user((Role.COORDINATOR, city)))
    client.post(f"/m/{city.slug}/indicators/recompute", data={"period": "2023-Q1"}, headers={"HX-Request": "true"})
    with platform_scope("check"):
        job = db.session.query(Job).filter(Job.parent_id.is_(None)).one()
        for part in db.session.query(Job).filter(Job.parent_id == job.id):
            part.status = JobStatus.FAILED
        db.session.commit()
        job_id = job.id
    page = client.get(f"/m/{city.slug}/indicators/jobs/{job_id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Не выполнено" in page and "Повторить" in page and "hx-trigger" not in page


def test_recompute_with_the_broker_down_answers_at_once_and_waits_in_the_outbox(app, client, login):
    from portal.jobs import services as jobs
    from portal.jobs.models import Job, JobStatus
    from tasks.celery_app import celery_init_app

    city = make_municipality()
    login(make_user((Role.COORDINATOR, city)))
    app.config["CELERY"].update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    celery_init_app(app)
    try:
        started = time.monotonic()
        r = client.post(f"/m/{city.slug}/indicators/recompute", data={"period": "2023-Q1"}, headers={"HX-Request": "true"})
        assert r.status_code == 200 and "В очереди" in r.get_data(as_text=True)
        assert time.monotonic() - started < 10
        with platform_scope("check"):
            job = db.session.query(Job).one()
            assert (job.task, job.args, job.status) == ("aggregation.fan_out", ["2023-Q1", city.id], JobStatus.PENDING)
        started = time.monotonic()
        client.post(f"/m/{city.slug}/indicators/recompute", data={"period": "2023-Q1"})
        assert time.monotonic() - started < 1   # the next request does not even try the dead broker
    finally:
        jobs.reset_broker_backoff()
        app.config["CELERY"].update(broker_url=REDIS or "memory://", task_always_eager=True)
        celery_init_app(app)


# --- a real worker on Redis ---------------------------------------------------------------------------------------

def _worker(log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "CELERY_VISIBILITY_TIMEOUT": "3",
           "CELERY_RESTORE_INTERVAL": "1", "CELERY_RESTORE_THROTTLE": "1", "CELERY_RESTORE_LOCK_SECONDS": "5"}
    proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "tasks.worker", "worker", "--pool=solo",
                             "--loglevel=INFO", "--without-gossip", "--without-mingle", "-n", f"agg{time.time()}@%h"],
                            env=env, stdout=log.open("a"), stderr=subprocess.STDOUT,
                            cwd=Path(__file__).resolve().parent.parent)
    deadline = time.time() + 60
    while "ready" not in log.read_text():
        assert proc.poll() is None and time.time() < deadline, log.read_text()[-3000:]
        time.sleep(0.2)
    return proc


def _snapshots(period: str) -> list[tuple[int, str]]:
    with platform_scope("test check"):
        rows = [(s.institution_id, s.period) for s in db.session.query(Snapshot).filter_by(period=period)]
    db.session.remove()
    return rows


@pytest.fixture()
def broker(app):
    if not REDIS:
        pytest.skip("needs REDIS_URL (CI runs it with Redis and a real worker)")
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    from tasks.celery_app import celery_init_app

    app.config["CELERY"]["task_always_eager"] = False
    celery_init_app(app)
    yield
    app.config["CELERY"]["task_always_eager"] = True
    celery_init_app(app)


def test_worker_killed_in_the_middle_loses_one_chunk_at_most_and_counts_each_once(app, broker, tmp_path):
    from tasks.aggregation import fan_out

    city = make_municipality()
    institutions = [make_institution(city) for _ in range(60)]
    for inst in institutions:
        make_group(inst, start=date(2022, 9, 1))
    log = tmp_path / "worker.log"
    worker = _worker(log)
    fan_out.delay("2023-Q1", city.id, 2)  # 30 chunks of two: enough work that the kill lands mid-way
    deadline = time.time() + 60
    while not _snapshots("2023-Q1") and time.time() < deadline:
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)  # no warm shutdown: the message in hand is neither acked nor returned
    worker.wait()
    done_before = len(_snapshots("2023-Q1"))
    assert 0 < done_before < len(institutions), "the worker should have been killed in the middle"
    assert done_before % 2 == 0  # a chunk is one transaction: written whole or not at all
    worker = _worker(log)
    try:
        deadline = time.time() + 120
        while len(_snapshots("2023-Q1")) < len(institutions) and time.time() < deadline:
            time.sleep(0.3)
        rows = _snapshots("2023-Q1")
        assert sorted(rows) == sorted((i.id, "2023-Q1") for i in institutions)  # complete, and once each
    finally:
        worker.terminate()
        worker.wait(timeout=20)
    with institution_scope(institutions[0].id):
        assert db.session.query(Snapshot).one().figures["groups"] == 1


def test_beat_schedule_runs_each_job_once_and_names_real_tasks(app):
    from tasks.schedule import BEAT_SCHEDULE

    celery = app.extensions["celery"]
    assert celery.conf.beat_schedule == BEAT_SCHEDULE
    tasks = [job["task"] for job in BEAT_SCHEDULE.values()]
    assert {"jobs.relay", "aggregation.quarterly", "aggregation.academic_year", "reminders.daily",
            "registry.yearly"} <= set(tasks)
    assert len(tasks) == len(set(tasks)) and all(t in celery.tasks for t in tasks)
    units = list((Path(__file__).resolve().parents[1] / "deploy" / "systemd").glob("*beat*.service"))
    assert len(units) == 1  # one beat in the whole deployment, or every job would run twice


def test_institution_xlsx_report(app, client, login):
    inst = hand_counted_institution()
    login(make_user((Role.CURATOR, inst)))
    wb = load_workbook(io.BytesIO(client.get(f"/i/{inst.slug}/indicators/report.xlsx?period=2023-Q1").data)).active
    rows = list(wb.iter_rows(values_only=True))
    assert rows[0][0] == "Организация" and rows[1][0] == inst.short_name and rows[1][2] == 2
