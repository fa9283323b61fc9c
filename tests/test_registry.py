"""The registry of mentors for the regional institute; mentors' training and incentives."""
from __future__ import annotations

import csv
import hashlib
import io
from datetime import date

from openpyxl import load_workbook

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.mentoring.models import MentorProfile
from portal.mentoring.states import GroupState, ProgramState
from portal.registry.models import RegistryExport
from portal.staff.models import Incentive, Training
from portal.registry.registry import COLUMNS
from portal.staff.dictionaries import Category
from tenants.access import Role
from tenants.context import platform_scope
from tests.factories import make_group, make_institution, make_municipality, make_program, make_staff, make_user


def _fixture():
    """Two mentors in «Ромашка» (one with two pairs and a past mentee, one in the bank only) and one in «Берёзка»."""
    city = make_municipality(name="г. Светлогорск")
    a = make_institution(city, short_name="МАДОУ «Ромашка»")
    b = make_institution(city, short_name="МАОУ СОШ № 7")
    busy = make_staff(a, last_name="Абрикосова", first_name="Вера", middle_name="Ильинична", category=Category.HIGHEST,
                      category_date=date(2021, 3, 15), pedagogical_start=date(2001, 9, 1),
                      work_email="secret@ya.ru", birth_date=date(1978, 5, 5))
    idle = make_staff(a, last_name="Бананова", first_name="Ольга", middle_name="Петровна")
    other = make_staff(b, last_name="Вишнёва", first_name="Анна", middle_name="Юрьевна")
    make_group(a, mentors=[busy])
    make_group(a, mentors=[busy])
    done = make_group(a, mentors=[busy], state=GroupState.COMPLETED)
    make_program(done, state=ProgramState.COMPLETED)
    make_group(b, mentors=[other])
    with platform_scope("fixture"):
        db.session.add(MentorProfile(institution_id=a.id, staff_id=idle.id, competencies=["planning", "parents"],
                                     areas="Музыкальное развитие"))
        db.session.add(Training(institution_id=a.id, staff_id=busy.id, kind="course", title="Наставничество в ДОУ",
                                hours=72, start_date=date(2023, 2, 1), end_date=date(2023, 3, 1)))
        db.session.add(Training(institution_id=a.id, staff_id=busy.id, kind="webinar", title="Ораторское мастерство",
                                hours=2, start_date=date(2023, 4, 1), end_date=date(2023, 4, 1), mentoring_related=False))
        db.session.add(Incentive(institution_id=a.id, staff_id=busy.id, kind="diploma", level="municipal",
                                 grounds="За наставничество", awarded_on=date(2024, 5, 20)))
        db.session.commit()
    return city, a, b


def _build(client, city):
    """The city's coordinator builds it (the regional account only reads: its POST is a 403)."""
    import time

    builder = client.application.test_client()
    with builder.session_transaction() as s:
        s["_user_id"], s["_fresh"], s["seen"], s["login_at"] = (make_user((Role.COORDINATOR, city)).get_id(), True,
                                                               time.time(), time.time())
    assert builder.post(f"/m/{city.slug}/registry").status_code == 302
    with platform_scope("check"):
        return db.session.query(RegistryExport).order_by(RegistryExport.id.desc()).first()


def test_registry_columns_and_rows_against_the_fixture(app, client, login):
    city, a, b = _fixture()
    login(make_user((Role.REGIONAL, city)))
    export = _build(client, city)
    assert export.status.value == "done" and export.row_count == 3
    r = client.get(f"/m/{city.slug}/registry/{export.id}/registry.xlsx")
    ws = load_workbook(io.BytesIO(r.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:N4"
    by_name = {row[2]: row for row in rows[1:]}
    busy = by_name["Абрикосова Вера Ильинична"]
    assert busy[:7] == ("г. Светлогорск", "МАДОУ «Ромашка»", "Абрикосова Вера Ильинична", "Воспитатель",
                        "Высшая квалификационная категория", "15.03.2021", busy[6])
    assert (busy[9], busy[10], busy[11]) == (2, 1, 1)   # two pairs now, one mentee before, one program completed
    assert busy[12] == "Наставничество в ДОУ, 72 ч., 2023"  # the webinar on speaking is not mentoring training
    assert busy[13] == "Почётная грамота (2024)"
    idle = by_name["Бананова Ольга Петровна"]
    assert (idle[9], idle[10]) == (0, 0) and "Взаимодействие с родителями" in idle[7] and "Музыкальное" in idle[7]
    assert [row[1] for row in rows[1:]] == ["МАДОУ «Ромашка»", "МАДОУ «Ромашка»", "МАОУ СОШ № 7"]
    assert "secret@ya.ru" not in str(rows) and "1978" not in str(rows)  # no e-mails, no birth dates


def test_csv_is_utf8_with_bom_and_semicolons_and_checksummed(app, client, login):
    city, _, _ = _fixture()
    login(make_user((Role.COORDINATOR, city)))
    export = _build(client, city)
    data = client.get(f"/m/{city.slug}/registry/{export.id}/registry.csv").data
    assert data.startswith(b"\xef\xbb\xbf") and hashlib.sha256(data).hexdigest() == export.sha256_csv
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == COLUMNS and len(rows) == 4
    with platform_scope("check"):
        events = db.session.query(AuditEvent).filter_by(action="download", object_type="registry_export").count()
    assert events == 1


def test_regional_account_sees_the_registry_and_nothing_else(app, client, login):
    city, a, _ = _fixture()
    regional = make_user((Role.REGIONAL, city))
    login(regional)
    export = _build(client, city)
    assert client.get(f"/m/{city.slug}/registry").status_code == 200
    assert client.post(f"/m/{city.slug}/registry").status_code == 403   # reads only
    assert client.post(f"/m/{city.slug}/registry/{export.id}/retry").status_code == 403
    assert client.get(f"/api/v1/m/{city.slug}/registry").status_code in (401, 404)  # the API wants a token
    for url in (f"/i/{a.slug}/", f"/i/{a.slug}/staff/", f"/m/{city.slug}/roadmap", f"/m/{city.slug}/indicators"):
        assert client.get(url).status_code in (403, 404), url
    other_city = make_municipality()
    login(make_user((Role.REGIONAL, other_city)))
    assert client.get(f"/m/{city.slug}/registry").status_code == 404
    assert client.get(f"/m/{city.slug}/registry/{export.id}/registry.csv").status_code == 404
    assert client.get(f"/m/{other_city.slug}/registry/{export.id}/registry.csv").status_code == 404


def test_registry_api_returns_the_latest_export(app, login):
    from portal.accounts.services import create_api_token

    city, _, _ = _fixture()
    user = make_user((Role.REGIONAL, city))
    web = app.test_client()
    login(user, web)
    _build(web, city)
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(user, "ИРО")
    body = api.get(f"/api/v1/m/{city.slug}/registry").get_json()
    assert body["row_count"] == 3 and body["columns"] == COLUMNS
    assert {item["Ф.И.О."] for item in body["items"]} >= {"Абрикосова Вера Ильинична"}


def test_registry_is_built_every_march_for_each_municipality_once_a_year(app):
    from tasks.registry import yearly
    from tasks.schedule import BEAT_SCHEDULE

    _fixture()
    make_municipality()
    assert yearly.delay().get() == 2
    assert yearly.delay().get() == 0   # sent twice (two beats): this year's exports exist already
    job = BEAT_SCHEDULE["registry-every-march"]
    assert job["task"] == "registry.yearly" and job["schedule"].month_of_year == {3}
    with platform_scope("check"):
        assert [e.status.value for e in db.session.query(RegistryExport)] == ["done", "done"]


def test_training_and_incentive_bad_input_is_refused_and_nothing_saved(app, client, login):
    inst = make_institution()
    staff = make_staff(inst)
    login(make_user((Role.CURATOR, inst)))
    base = f"/i/{inst.slug}/staff/{staff.id}/development"
    r = client.post(f"{base}/training", data={"kind": "course", "title": "", "hours": "0", "start_date": "10.02.2024",
                                              "end_date": "01.02.2024"})
    text = r.get_data(as_text=True)
    assert r.status_code == 422 and "от 1 до 2000" in text and "не раньше начала" in text
    r = client.post(f"{base}/training", data={"kind": "course", "title": "Школа наставника", "hours": "36",
                                              "start_date": "01.02.2024", "end_date": "10.02.2024",
                                              "certificate": (io.BytesIO(b"not a pdf"), "удостоверение.pdf")},
                    content_type="multipart/form-data")
    assert r.status_code == 422
    with platform_scope("check"):
        assert db.session.query(Training).count() == 0
    r = client.post(f"{base}/training", data={"kind": "course", "title": "Школа наставника", "hours": "36",
                                              "start_date": "01.02.2024", "end_date": "10.02.2024", "mentoring_related": "1",
                                              "certificate": (io.BytesIO(b"%PDF-1.4 x"), "удостоверение.pdf")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    page = client.get(base).get_data(as_text=True)
    assert "Школа наставника" in page and "удостоверение" in page
    assert client.post(f"{base}/incentive", data={"kind": "", "grounds": ""}).status_code == 422
    assert client.post(f"{base}/incentive", data={"kind": "gratitude", "level": "institution", "grounds": "За работу",
                                                   "awarded_on": "01.06.2024"}).status_code == 302


def test_a_mentor_who_withdrew_consent_to_processing_leaves_the_registry(app, client, login):
    from portal.consent.models import ConsentKind, ConsentRecord

    city, a, _ = _fixture()
    with platform_scope("fixture"):
        busy = db.session.query(__import__("portal.staff.models", fromlist=["Staff"]).Staff).filter_by(last_name="Абрикосова").one()
        db.session.add(ConsentRecord(institution_id=a.id, staff_id=busy.id, kind=ConsentKind.PROCESSING,
                                     purpose="Реестр наставников", given_on=date(2024, 9, 1), withdrawn_on=date(2025, 1, 10)))
        db.session.commit()
    login(make_user((Role.COORDINATOR, city)))
    export = _build(client, city)
    data = client.get(f"/m/{city.slug}/registry/{export.id}/registry.csv").data.decode("utf-8-sig")
    assert export.row_count == 2 and "Абрикосова" not in data and "Бананова" in data


def test_an_export_sends_the_same_few_statements_whatever_the_number_of_mentors(app, monkeypatch):
    """The rows come from one aggregated statement for the city: no statement per mentor, batch or institution
    (a count, the same at two sizes of data). The roadmap evidence is the export's own job, not part of it."""
    from portal.jobs import services as jobs
    from portal.registry import registry
    from tenants.context import across_institutions
    from tests.query_budget import statements

    city, a, _ = _fixture()
    dispatched = []
    monkeypatch.setattr(jobs, "_dispatch", dispatched.append)   # committed jobs stay in the outbox, not run here

    def build() -> tuple[int, int]:
        with across_institutions(municipality_ids={city.id}, reason="test"):
            export = RegistryExport(municipality_id=city.id, reason="по запросу")
            db.session.add(export)
            db.session.commit()
            with statements() as sent:
                built = registry.build(export)
            assert built.status.value == "done"
            return built.row_count, sent

    rows_before, before = build()
    for n in range(3):   # more institutions, mentors, pairs, training and incentives
        inst = make_institution(city, short_name=f"МАДОУ № {n + 10}")
        for _ in range(2):
            mentor = make_staff(inst)
            make_group(inst, mentors=[mentor])
            with platform_scope("fixture"):
                db.session.add(Training(institution_id=inst.id, staff_id=mentor.id, kind="course", title="Школа",
                                        hours=36, start_date=date(2024, 2, 1), end_date=date(2024, 2, 20)))
                db.session.add(Incentive(institution_id=inst.id, staff_id=mentor.id, kind="diploma", level="municipal",
                                         grounds="За наставничество", awarded_on=date(2025, 5, 20)))
                db.session.commit()
    rows_after, after = build()
    assert (rows_before, rows_after) == (3, 9)
    # on PostgreSQL two of them are the RLS scope writes of the build's two transactions
    assert after.count == before.count <= 6, after.report()
    assert sum("municipality.name" in s for s in after.sql) == 1, after.report()   # the rows: one statement
    with platform_scope("check"):
        tasks = [db.session.get(jobs.Job, i).task for ids in dispatched for i in ids]
    assert tasks.count("registry.answer_roadmap") == 2   # each export's evidence, a job committed with it


def test_the_roadmap_evidence_failing_leaves_the_export_built(app, client, login, monkeypatch):
    """The evidence of roadmap item 27 is the export's own job: if it fails, the files are there and the export is
    done; the job says «не выполнено» on its own."""
    from portal.jobs.models import Job, JobStatus
    from portal.registry import registry

    def tasks_gone(*args, **kwargs):
        raise RuntimeError("roadmap unavailable")

    monkeypatch.setattr(registry.evidence, "record_many", tasks_gone)
    city, _, _ = _fixture()
    login(make_user((Role.COORDINATOR, city)))
    export = _build(client, city)
    assert export.status.value == "done" and export.row_count == 3
    assert client.get(f"/m/{city.slug}/registry/{export.id}/registry.csv").status_code == 200
    with platform_scope("check"):
        jobs = {j.task: j.status for j in db.session.query(Job)}
    assert jobs == {"registry.build": JobStatus.DONE, "registry.answer_roadmap": JobStatus.FAILED}


def test_a_failed_export_leaves_no_file_of_its_own_or_of_openpyxl_behind(app, client, login, monkeypatch):
    """A build that fails after its first rows (the database gone mid-stream) discards its files, and openpyxl's
    temporary sheet with them: a long-lived worker would otherwise keep one per failed export."""
    import gc
    import glob
    import tempfile

    from portal.jobs.models import JobStatus
    from portal.registry import registry

    real_rows = registry.rows

    def rows_then_gone(*args, **kwargs):
        yield from list(real_rows(*args, **kwargs))[:1]
        raise OSError("database gone mid-stream")

    monkeypatch.setattr(registry, "rows", rows_then_gone)
    city, _, _ = _fixture()
    login(make_user((Role.COORDINATOR, city)))
    before = set(glob.glob(f"{tempfile.gettempdir()}/openpyxl.*"))
    assert client.post(f"/m/{city.slug}/registry").status_code == 302   # the first try and its retries all fail
    gc.collect()
    assert set(glob.glob(f"{tempfile.gettempdir()}/openpyxl.*")) - before == set()
    with platform_scope("check"):
        assert db.session.query(RegistryExport).one().job.status is JobStatus.FAILED
