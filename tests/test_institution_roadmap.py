"""The institution's roadmap (seed §3.3–3.4, city item 3): derived from the city's — every activity an institution
carries out — plus its own items; approved by an order of the head; fulfilling a derived item fulfils the city's
task it derives from."""
from __future__ import annotations

import io
from datetime import date

from docx import Document

from portal.extensions import db
from portal.institution_roadmap.models import InstitutionRoadmap, OwnItemTask, RoadmapState
from portal.mentoring.models import Order
from portal.roadmap import services as roadmap
from portal.roadmap.models import RoadmapTask, TaskStatus
from tenants.access import Role
from tenants.context import across_institutions, institution_scope
from tests.factories import make_institution, make_municipality, make_staff, make_user


def _world(client, login, years=(2023,)):
    city = make_municipality()
    inst = make_institution(city)
    with across_institutions(municipality_ids={city.id}, reason="test"):
        row = roadmap.from_template(city.id)
        for year in years:
            roadmap.generate_tasks(row, year)
    curator = make_user((Role.CURATOR, inst))
    login(curator)
    r = client.post(f"/i/{inst.slug}/plan", data={"city_roadmap_id": row.id})
    assert r.status_code == 302
    return city, inst, row, r.headers["Location"]


def _mine(inst) -> InstitutionRoadmap:
    with institution_scope(inst.id):
        mine = db.session.execute(db.select(InstitutionRoadmap)).scalar_one()
        [it.city_activity for it in mine.items]  # loaded while in scope
        return mine


def test_an_oo_activity_of_the_city_roadmap_appears_in_a_new_institutions_roadmap_and_completing_it_there_completes_the_city_task(
        app, client, login):
    city, inst, row, page = _world(client, login)
    mine = _mine(inst)
    numbers = [it.city_activity.number for it in mine.items]
    assert 4 in numbers and 6 in numbers and 1 not in numbers and 2 not in numbers   # ОО and УО+ОО, not УО alone
    assert len(numbers) == len([a for a in row.activities if a.for_institutions])
    with institution_scope(inst.id):
        [task] = [t for t in db.session.execute(db.select(RoadmapTask)).scalars() if t.activity.number == 4]
        count = db.session.execute(db.select(db.func.count(RoadmapTask.id))).scalar_one()
    assert f"/roadmap/tasks/{task.id}" in client.get(page + "?year=2023").get_data(as_text=True)
    r = client.post(f"{page}/tasks/{task.id}/done", data={"evidence_text": "Соглашение с колледжем № 7"})
    assert r.status_code == 302
    with institution_scope(inst.id):
        city_task = db.session.get(RoadmapTask, task.id)
        assert city_task.status is TaskStatus.SUBMITTED and city_task.evidence_text == "Соглашение с колледжем № 7"
        assert db.session.execute(db.select(db.func.count(RoadmapTask.id))).scalar_one() == count   # the same task


def test_roadmap_is_approved_by_an_order_of_the_head_and_the_order_answers_city_item_3(app, client, login):
    city, inst, row, page = _world(client, login, years=(2022, 2023, 2024))
    deputy = make_staff(inst, last_name="Кравцова", position="zam_rukovoditelya")
    mine = _mine(inst)
    first = mine.items[0]
    assert client.post(f"{page}/items/{first.id}", data={"responsible_staff_id": deputy.id,
                                                         "result_text": "Приказ ОО"}).status_code == 302
    assert client.post(f"{page}/items", data={"title": "Открытые занятия молодых педагогов",
                                              "deadline_text": "ежегодно до 15 мая"}).status_code == 302
    r = client.post(f"{page}/approval", data={"number": "345-0", "issued_on": "05.12.2022"})
    assert r.status_code == 302 and "/orders/" in r.headers["Location"]
    assert _mine(inst).state is RoadmapState.ON_APPROVAL
    assert client.post(f"{page}/items", data={"title": "Ещё", "deadline_text": "ежегодно"}).status_code == 422
    with institution_scope(inst.id):
        order = db.session.execute(db.select(Order)).scalar_one()
        assert order.kind.value == "other" and order.issued_at is None
        assert [a.staff_id for a in order.acknowledgements] == [deputy.id]
    for year in (2022, 2023, 2024):
        assert [t.status for t in _tasks(inst, 3) if t.period == str(year)] == [TaskStatus.OPEN]
    login(make_user((Role.HEAD, inst)))
    client.post(f"/i/{inst.slug}/mentoring/orders/{order.id}/issue")
    mine = _mine(inst)
    assert mine.state is RoadmapState.APPROVED and mine.approved_on == date(2022, 12, 5)
    with institution_scope(inst.id):   # kept in the register of local acts, approved by the same order
        from portal.local_acts.models import LocalAct

        act = db.session.execute(db.select(LocalAct)).scalar_one()
        assert act.kind == "roadmap" and act.current.approving_order_id == order.id
        assert act.current.approved_on == date(2022, 12, 5) and "Открытые занятия молодых педагогов" in act.current.text
    for year in (2022, 2023, 2024):   # one approved roadmap answers «разработка и утверждение» for its years
        assert [t.status for t in _tasks(inst, 3) if t.period == str(year)] == [TaskStatus.ACCEPTED]
    with institution_scope(inst.id):
        own = sorted((t.period, t.due_date) for t in db.session.execute(db.select(OwnItemTask)).scalars())
    assert own == [("2022", date(2022, 5, 15)), ("2023", date(2023, 5, 15)), ("2024", date(2024, 5, 15))]
    docx = client.get(f"{page}/roadmap.docx")
    document = Document(io.BytesIO(docx.data))
    assert "Приложение к приказу от 05.12.2022 № 345-0" in document.paragraphs[0].text
    cells = [c.text for r in document.tables[0].rows for c in r.cells]
    assert "Открытые занятия молодых педагогов" in cells and "Кравцова М. П., заместитель руководителя" in cells


def _tasks(inst, number):
    with institution_scope(inst.id):
        return [t for t in db.session.execute(db.select(RoadmapTask)).scalars() if t.activity.number == number]


def test_own_item_has_tasks_by_its_wording_and_is_fulfilled_on_the_roadmap(app, client, login):
    city, inst, row, page = _world(client, login)
    client.post(f"{page}/items", data={"title": "Консультации для родителей", "deadline_text": "ежеквартально"})
    assert client.post(f"{page}/items", data={"title": "Что-то", "deadline_text": "когда-нибудь"}).status_code == 422
    client.post(f"{page}/approval", data={"number": "12", "issued_on": "10.01.2023"})
    with institution_scope(inst.id):
        order = db.session.execute(db.select(Order)).scalar_one()
    login(make_user((Role.HEAD, inst)))
    client.post(f"/i/{inst.slug}/mentoring/orders/{order.id}/issue")
    with institution_scope(inst.id):
        tasks = {t.period: t for t in db.session.execute(db.select(OwnItemTask)).scalars()}
    assert {"2023-Q1", "2023-Q4", "2024-Q1"} <= set(tasks) and tasks["2023-Q1"].due_date == date(2023, 3, 31)
    assert client.post(f"{page}/own-tasks/{tasks['2023-Q1'].id}/done", data={}).status_code == 422
    assert client.post(f"{page}/own-tasks/{tasks['2023-Q1'].id}/done",
                       data={"note": "Проведены 3 консультации", "done_on": "20.03.2023"}).status_code == 302
    with institution_scope(inst.id):
        assert db.session.get(OwnItemTask, tasks["2023-Q1"].id).done_on == date(2023, 3, 20)
    assert "Проведены 3 консультации" in client.get(page + "?year=2023").get_data(as_text=True)


def test_a_derived_item_keeps_the_city_wording_and_stays_in_the_roadmap(app, client, login):
    city, inst, row, page = _world(client, login)
    item = _mine(inst).items[0]
    title = item.title
    client.post(f"{page}/items/{item.id}", data={"title": "Другое", "deadline_text": "ежегодно", "result_text": "Приказ"})
    assert client.post(f"{page}/items/{item.id}/delete").status_code == 422
    with institution_scope(inst.id):
        again = db.session.get(type(item), item.id)
        assert again.title == title and again.result_text == "Приказ"


def test_api_develops_and_submits_the_institution_roadmap_as_the_pages_do(app):
    from portal.accounts.services import create_api_token

    city = make_municipality()
    inst = make_institution(city)
    with across_institutions(municipality_ids={city.id}, reason="test"):
        row = roadmap.from_template(city.id)
        roadmap.generate_tasks(row, 2023)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(make_user((Role.CURATOR, inst)), "t")
    base = f"/api/v1/i/{inst.slug}/institution-roadmaps"
    assert client.post(base, json={"city_roadmap_id": 999999}).status_code == 422
    created = client.post(base, json={"city_roadmap_id": row.id})
    assert created.status_code == 201
    mine = created.get_json()
    one = f"{base}/{mine['id']}"
    item4 = next(i for i in mine["items"] if i["city_activity_number"] == 4)
    [task] = client.get(f"{one}?year=2023").get_json()["items"][mine["items"].index(item4)]["tasks"]
    done = client.post(f"{one}/tasks/{task['id']}/done", json={"evidence_text": "Соглашение № 7"})
    assert done.status_code == 200 and done.get_json()["status"] == "submitted"
    assert client.post(f"{one}/items", json={"title": "Своё", "deadline_text": "ежегодно"}).status_code == 201
    r = client.post(f"{one}/approval", json={"number": "1", "issued_on": "2023-02-01"})
    assert r.status_code == 201 and r.get_json()["state"] == "on_approval"
    assert client.post(f"{one}/approval/withdraw").get_json()["state"] == "draft"
