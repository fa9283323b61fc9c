"""The city roadmap: template, copy to a new period, rules, tasks per institution, evidence and review, matrix."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from portal.errors import Invalid
from portal.extensions import db
from portal.roadmap import services
from portal.roadmap.models import Activity, Roadmap, RoadmapTask, TaskStatus
from tenants.access import Role
from tenants.context import institution_scope
from tests.factories import make_institution, make_municipality, make_user


def _city(app, client, login):
    city = make_municipality()
    a, b = make_institution(city), make_institution(city)
    login(make_user((Role.COORDINATOR, city)))
    return city, a, b


def _template(client, city) -> int:
    r = client.post(f"/m/{city.slug}/roadmap", data={"source": "template"})
    assert r.status_code == 302
    return int(r.headers["Location"].rstrip("/").split("/")[-1])


def test_builtin_template_has_the_32_activities_as_written(app, client, login):
    city, _, _ = _city(app, client, login)
    roadmap_id = _template(client, city)
    page = client.get(f"/m/{city.slug}/roadmap/{roadmap_id}?year=2023").get_data(as_text=True)
    assert "Проведение городского конкурса «Лучшие практики наставничества»" in page
    assert "ежеквартально до 5 числа месяца, следующего за отчетным" in page
    assert "05.01.2024" in page and "→ 09.01.2024" in page   # Q4 report due on a holiday: both dates shown
    xlsx = load_workbook(io.BytesIO(client.get(f"/m/{city.slug}/roadmap/{roadmap_id}/roadmap.xlsx").data)).active
    numbered = [r[0].value for r in xlsx.iter_rows(min_row=2) if r[0].value]
    assert numbered == [f"{n}." for n in range(1, 33)]
    assert [c.value for c in xlsx[1]][:5] == ["№ п/п", "Наименование мероприятия", "Срок реализации", "Ответственный",
                                             "Результат"]


def test_new_period_from_a_roadmap_flags_dates_of_the_old_period(app, client, login):
    city, _, _ = _city(app, client, login)
    source = _template(client, city)
    r = client.post(f"/m/{city.slug}/roadmap", data={"source": source, "title": "Дорожная карта 2025–2027",
                                                      "first_year": "2025", "last_year": "2027"})
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "задайте его: № 1, № 2, № 6" in page
    bad = client.post(f"/m/{city.slug}/roadmap", data={"source": source, "title": "X", "first_year": "2027",
                                                        "last_year": "2025"})
    assert bad.status_code == 422


def test_coordinator_sets_a_rule_and_unknown_wording_is_refused(app, client, login):
    city, _, _ = _city(app, client, login)
    roadmap_id = _template(client, city)
    with institution_scope(make_institution(city).id):
        activity = db.session.query(Activity).filter_by(roadmap_id=roadmap_id, number=1).one()
    url = f"/m/{city.slug}/roadmap/{roadmap_id}/activities/{activity.id}"
    data = {"title": activity.title, "level": "uo", "result_text": "Приказ УО", "result_type": "order"}
    r = client.post(url, data={**data, "deadline_text": "как получится"}, headers={"HX-Request": "true"})
    assert r.status_code == 422 and "Срок не распознан" in r.get_data(as_text=True)
    r = client.post(url, data={**data, "deadline_text": "01.12.2025"}, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "к дате" in r.get_data(as_text=True)


def test_tasks_one_per_activity_institution_and_period_idempotent(app, client, login):
    city, a, b = _city(app, client, login)
    roadmap_id = _template(client, city)
    with institution_scope(a.id):
        row = db.session.get(Roadmap, roadmap_id)
        institution_activities = [x for x in row.activities if x.for_institutions]
    client.post(f"/m/{city.slug}/roadmap/{roadmap_id}/tasks", data={"year": "2023"})
    with institution_scope(a.id):
        tasks = db.session.query(RoadmapTask).all()
        periods = {(t.activity.number, t.period) for t in tasks}
    # Quarterly items 13, 14, 17, 29 have four periods; item 4 (annual by 1 October) one; «постоянно» and «по
    # отдельному плану» one for the year; «по итогам реализации программы» none while no program has ended.
    assert {(13, "2023-Q1"), (13, "2023-Q4"), (4, "2023"), (16, "2023"), (7, "2023"), (9, "2023"),
            (25, "2023")} <= periods
    assert not any(n == 18 for n, _ in periods)
    assert all(x.number != 1 for x in institution_activities)  # item 1 is the department's (УО) only
    count = len(tasks)
    client.post(f"/m/{city.slug}/roadmap/{roadmap_id}/tasks", data={"year": "2023"})
    with institution_scope(a.id):
        assert db.session.query(RoadmapTask).count() == count
    with institution_scope(b.id):
        assert db.session.query(RoadmapTask).count() == count


def test_institution_submits_evidence_and_the_coordinator_returns_then_accepts(app, client, login):
    city, a, _ = _city(app, client, login)
    coordinator_client = client
    roadmap_id = _template(coordinator_client, city)
    coordinator_client.post(f"/m/{city.slug}/roadmap/{roadmap_id}/tasks", data={"year": "2023"})
    with institution_scope(a.id):
        task = db.session.query(RoadmapTask).join(Activity).filter(Activity.number == 4).one()
    curator_client = app.test_client()
    login(make_user((Role.CURATOR, a)), curator_client)
    url = f"/i/{a.slug}/roadmap/tasks/{task.id}"
    assert "просрочено" in curator_client.get(f"/i/{a.slug}/roadmap").get_data(as_text=True).lower()
    r = curator_client.post(url, data={"evidence_text": "", "figures": "Соглашений: пять"})
    assert r.status_code == 422 and "название: число" in r.get_data(as_text=True)
    r = curator_client.post(url, data={"evidence_text": "Заключены соглашения с колледжем",
                                       "figures": "Соглашений: 2",
                                       "files": (io.BytesIO(b"%PDF-1.4 test"), "соглашение.pdf")},
                            content_type="multipart/form-data")
    assert r.status_code == 302
    review = f"/m/{city.slug}/roadmap/tasks/{task.id}"
    assert "соглашение.pdf" in coordinator_client.get(review).get_data(as_text=True)
    assert coordinator_client.post(review, data={"decision": "return", "review_comment": ""}).status_code == 422
    coordinator_client.post(review, data={"decision": "return", "review_comment": "Приложите скан с подписями"})
    with institution_scope(a.id):
        assert db.session.get(RoadmapTask, task.id).status is TaskStatus.RETURNED
    curator_client.post(url, data={"evidence_text": "Скан приложен", "figures": "Соглашений: 2"})
    coordinator_client.post(review, data={"decision": "accept"})
    with institution_scope(a.id):
        row = db.session.get(RoadmapTask, task.id)
        assert row.status is TaskStatus.ACCEPTED and row.figures == {"Соглашений": 2}
    assert curator_client.post(url, data={"evidence_text": "ещё"}).status_code == 422


def test_matrix_shows_worst_status_per_cell_and_exports(app, client, login):
    city, a, b = _city(app, client, login)
    roadmap_id = _template(client, city)
    client.post(f"/m/{city.slug}/roadmap/{roadmap_id}/tasks", data={"year": "2023"})
    page = client.get(f"/m/{city.slug}/roadmap/{roadmap_id}/matrix?year=2023").get_data(as_text=True)
    assert a.short_name in page and b.short_name in page and "table-danger" in page  # 2023 is past: overdue
    wb = load_workbook(io.BytesIO(client.get(f"/m/{city.slug}/roadmap/{roadmap_id}/matrix.xlsx?year=2023").data))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "Организация" and {r[0] for r in rows[1:]} == {a.short_name, b.short_name}
    assert "Просрочено" in rows[1]


def test_institution_sees_only_its_own_tasks(app, client, login):
    city, a, b = _city(app, client, login)
    roadmap_id = _template(client, city)
    client.post(f"/m/{city.slug}/roadmap/{roadmap_id}/tasks", data={"year": "2024"})
    with institution_scope(b.id):
        theirs = db.session.query(RoadmapTask).first()
    login(make_user((Role.CURATOR, a)))
    assert client.get(f"/i/{a.slug}/roadmap/tasks/{theirs.id}").status_code == 404


def test_generate_outside_the_period_is_refused(app):
    city = make_municipality()
    inst = make_institution(city)
    with institution_scope(inst.id):
        row = services.from_template(city.id)
        with pytest.raises(Invalid, match="вне периода"):
            services.generate_tasks(row, 2030)


def test_roadmap_xlsx_export_imports_back_with_every_rule(app, client, login):
    city, _, _ = _city(app, client, login)
    roadmap_id = _template(client, city)
    xlsx = client.get(f"/m/{city.slug}/roadmap/{roadmap_id}/roadmap.xlsx").data
    r = client.post(f"/m/{city.slug}/roadmap/import", data={"title": "Загруженная", "first_year": "2022",
                                                            "last_year": "2024", "file": (io.BytesIO(xlsx), "карта.xlsx")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    new_id = int(r.headers["Location"].rstrip("/").split("/")[-1])
    with institution_scope(make_institution(city).id):
        old, new = db.session.get(Roadmap, roadmap_id), db.session.get(Roadmap, new_id)
        assert [(a.number, a.title, a.deadline_text, a.rule, a.level) for a in new.activities] == \
               [(a.number, a.title, a.deadline_text, a.rule, a.level) for a in old.activities]
        assert [s.title for s in new.sections] == [s.title for s in old.sections]


def test_roadmap_import_reports_every_bad_row(app, client, login):
    from openpyxl import Workbook

    city, _, _ = _city(app, client, login)
    wb = Workbook()
    ws = wb.active
    ws.append(["№ п/п", "Наименование мероприятия", "Срок реализации", "Ответственный", "Результат"])
    ws.append(["", "Раздел", "", "", ""])
    ws.append(["1.", "Семинар", "ежегодно в марте", "ОО", "Протокол"])
    ws.append(["1.", "Повтор", "ежегодно", "ОО", ""])
    ws.append(["x", "Без номера", "ежегодно", "ОО", ""])
    ws.append(["3.", "Без ответственного", "ежегодно", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    r = client.post(f"/m/{city.slug}/roadmap/import", data={"title": "Т", "first_year": "2025", "last_year": "2027",
                                                            "file": (io.BytesIO(buf.getvalue()), "карта.xlsx")},
                    content_type="multipart/form-data")
    text = r.get_data(as_text=True)
    assert r.status_code == 422 and "ошибок — 3" in text and "повторяет строку 3" in text
    with institution_scope(make_institution(city).id):
        assert db.session.query(Roadmap).count() == 0
