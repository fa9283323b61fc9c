"""Mentoring in the JSON API: same rules and scoping as the pages."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from docx import Document

from portal.accounts.services import create_api_token
from portal.extensions import db
from portal.mentoring.models import Order
from portal.mentoring.states import GroupState, OrderKind
from portal.programs.models import PlanItem
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tests.factories import make_group, make_institution, make_plan_item, make_program, make_staff, make_user, order_items


@pytest.fixture()
def api(app):
    def make(user):
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(user, "test")
        return client
    return make


def test_groups_list_filter_and_detail(app, api):
    inst = make_institution()
    active = make_group(inst)
    make_group(inst, state=GroupState.PROPOSED)
    client = api(make_user((Role.CURATOR, inst)))
    body = client.get(f"/api/v1/i/{inst.slug}/groups?state=active").get_json()
    assert body["total"] == 1 and body["items"][0]["id"] == active.id
    assert client.get(f"/api/v1/i/{inst.slug}/groups?state=lost").status_code == 422
    detail = client.get(f"/api/v1/i/{inst.slug}/groups/{active.id}").get_json()
    assert [m["role"] for m in detail["members"]] == ["mentor", "mentee"]
    paged = client.get(f"/api/v1/i/{inst.slug}/groups?per_page=1&page=2").get_json()
    assert (paged["pages"], len(paged["items"])) == (2, 1)


def test_mentee_reads_and_marks_own_program_only(app, api):
    inst = make_institution()
    user = make_user((Role.MENTEE, inst))
    me = make_staff(inst, user_id=user.id)
    mine = make_program(make_group(inst, mentees=[me]))
    item = make_plan_item(mine)
    other = make_program(make_group(inst))
    client = api(user)
    listed = client.get(f"/api/v1/i/{inst.slug}/programs").get_json()
    assert [p["id"] for p in listed["items"]] == [mine.id]
    assert client.get(f"/api/v1/i/{inst.slug}/programs/{other.id}").status_code == 404
    r = client.post(f"/api/v1/i/{inst.slug}/programs/{mine.id}/items/{item.id}/done", json={"note": "Сделано"})
    assert r.status_code == 200 and r.get_json()["status"] == "done"
    assert client.post(f"/api/v1/i/{inst.slug}/programs/{mine.id}/items", json={"content": "x"}).status_code == 403


def test_plan_item_bad_input_is_422_and_nothing_saved(app, api):
    inst = make_institution()
    program = make_program(make_group(inst), start=date(2024, 9, 1))
    client = api(make_user((Role.CURATOR, inst)))
    r = client.post(f"/api/v1/i/{inst.slug}/programs/{program.id}/items", json={"content": "", "due_date": "2030-01-01"})
    body = r.get_json()
    assert r.status_code == 422 and set(body["error"]["fields"]) == {"content", "due_date"}
    assert body["error"]["fields"]["content"] == "Опишите мероприятие."
    assert "Срок внутри периода программы" in body["error"]["fields"]["due_date"]
    assert re.search("[а-яА-Я]", body["error"]["message"])
    with institution_scope(inst.id):
        assert db.session.query(PlanItem).count() == 0
    r = client.post(f"/api/v1/i/{inst.slug}/programs/{program.id}/items",
                    json={"content": "Открытое занятие", "due_date": "2024-12-10"})
    assert r.status_code == 201 and r.get_json()["due_date"] == "2024-12-10"


def test_orders_with_acknowledgements_and_docx(app, api):
    inst = make_institution()
    group = make_group(inst)
    with platform_scope("setup"):
        order = Order(institution_id=inst.id, kind=OrderKind.PAIRS, number="12-О", issued_on=date(2024, 9, 2),
                      title="О закреплении наставнических пар", items=order_items(inst, "Закрепить"),
                      academic_year="2024-2025")
        db.session.add(order)
        db.session.commit()
    with institution_scope(inst.id):
        from portal.mentoring.order_drafting import link_groups
        from portal.mentoring.orders import order as get_order

        row = get_order(order.id)
        link_groups(row, [db.session.get(type(group), group.id)])
        db.session.commit()
    client = api(make_user((Role.HEAD, inst)))
    listed = client.get(f"/api/v1/i/{inst.slug}/orders").get_json()
    assert listed["items"][0]["group_ids"] == [group.id] and listed["items"][0]["issued"] is False
    r = client.get(f"/api/v1/i/{inst.slug}/orders/{order.id}/order.docx")
    assert r.status_code == 200 and "П Р И К А З" in [p.text for p in Document(io.BytesIO(r.data)).paragraphs]


def test_another_institutions_ids_are_404(app, api):
    a, b = make_institution(), make_institution()
    theirs = make_program(make_group(b))
    client = api(make_user((Role.CURATOR, a)))
    assert client.get(f"/api/v1/i/{a.slug}/programs/{theirs.id}").status_code == 404
    assert client.get(f"/api/v1/i/{a.slug}/groups/{theirs.group_id}").status_code == 404
    assert client.get(f"/api/v1/i/{b.slug}/groups").status_code == 404


def test_curator_reads_a_program_with_its_plan(app, api):
    inst = make_institution()
    program = make_program(make_group(inst))
    make_plan_item(program, content="Посещение урока наставника")
    make_plan_item(program, due=date(2024, 10, 1), content="Анализ урока")
    client = api(make_user((Role.CURATOR, inst)))
    listed = client.get(f"/api/v1/i/{inst.slug}/programs").get_json()
    assert listed["total"] == 1 and listed["items"][0]["items_total"] == 2 and "items" not in listed["items"][0]
    body = client.get(f"/api/v1/i/{inst.slug}/programs/{program.id}").get_json()
    assert [i["content"] for i in body["items"]] == ["Посещение урока наставника", "Анализ урока"]
    assert body["items"][1]["due_date"] == "2024-10-01" and body["items"][1]["status"] == "planned"


def test_mentor_of_another_pair_neither_sees_nor_edits_the_plan(app, api):
    inst = make_institution()
    user = make_user((Role.MENTOR, inst))
    me = make_staff(inst, user_id=user.id)
    mine = make_program(make_group(inst, mentors=[me]))
    other = make_program(make_group(inst))
    item = make_plan_item(other)
    client = api(user)
    assert [p["id"] for p in client.get(f"/api/v1/i/{inst.slug}/programs").get_json()["items"]] == [mine.id]
    assert client.post(f"/api/v1/i/{inst.slug}/programs/{other.id}/items",
                       json={"content": "Чужое", "due_date": "2024-10-01"}).status_code == 404
    assert client.post(f"/api/v1/i/{inst.slug}/programs/{other.id}/items/{item.id}/done").status_code == 404
    # an item of another program through my program's address does not exist either
    assert client.post(f"/api/v1/i/{inst.slug}/programs/{mine.id}/items/{item.id}/done").status_code == 404
    r = client.post(f"/api/v1/i/{inst.slug}/programs/{mine.id}/items",
                    json={"content": "Своё", "due_date": "2024-10-01"})
    assert r.status_code == 201


def test_marking_done_outside_an_active_program_is_422(app, api):
    from portal.mentoring.states import PlanItemStatus, ProgramState

    inst = make_institution()
    program = make_program(make_group(inst), state=ProgramState.DRAFT)
    item = make_plan_item(program)
    client = api(make_user((Role.CURATOR, inst)))
    r = client.post(f"/api/v1/i/{inst.slug}/programs/{program.id}/items/{item.id}/done")
    assert r.status_code == 422 and "реализуется" in r.get_json()["error"]["fields"]["state"]
    # A body that is not the published object is refused before the service looks at the program.
    r = client.post(f"/api/v1/i/{inst.slug}/programs/{program.id}/items/{item.id}/done", json=["не объект"])
    assert r.status_code == 422 and "body" in r.get_json()["error"]["fields"]
    with institution_scope(inst.id):
        assert db.session.get(PlanItem, item.id).status is PlanItemStatus.PLANNED


def test_order_detail_lists_the_acknowledgements(app, api):
    from portal.mentoring import order_drafting, orders

    inst = make_institution()
    mentor = make_staff(inst, last_name="Наставникова", first_name="Ирина", middle_name="Олеговна")
    mentee = make_staff(inst, last_name="Новикова", first_name="Дарья", middle_name="Сергеевна")
    group = make_group(inst, mentors=[mentor], mentees=[mentee], state=GroupState.PROPOSED)
    curator = make_user((Role.CURATOR, inst))
    with institution_scope(inst.id), app.test_request_context():
        row = order_drafting.save_order({"kind": "pairs", "number": "77-О", "issued_on": "02.09.2024",
                                         "title": "О закреплении наставнических пар", "items": "Закрепить пары.",
                                         "group_ids": [group.id], "ack_due": "05.09.2024"}, inst)
        orders.issue_checked(row, curator.id)
        paper = next(a for a in row.acknowledgements if a.staff_id == mentor.id)
        orders.record_paper_signature(paper.id, curator.id, "04.09.2024")
        order_id = row.id
    client = api(curator)
    body = client.get(f"/api/v1/i/{inst.slug}/orders/{order_id}").get_json()
    assert (body["number"], body["issued"], body["acknowledged"], body["to_acknowledge"]) == ("77-О", True, 1, 2)
    acks = {a["staff_id"]: a for a in body["acknowledgements"]}
    assert acks[mentor.id]["name"] == "Наставникова И. О." and acks[mentor.id]["on_paper"] is True
    assert acks[mentor.id]["acknowledged_at"].startswith("2024-09-04")
    assert acks[mentee.id]["acknowledged_at"] is None and acks[mentee.id]["due_date"] == "2024-09-05"
    assert acks[mentee.id]["overdue"] is True and acks[mentee.id]["on_paper"] is False
    r = client.get(f"/api/v1/i/{inst.slug}/orders/{order_id}/order.docx")
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    text = "\n".join(p.text for p in Document(io.BytesIO(r.data)).paragraphs)
    assert "П Р И К А З" in text and "77-О" in text


def test_another_institutions_orders_and_items_are_404(app, api):
    a, b = make_institution(), make_institution()
    mine = make_program(make_group(a))
    theirs = make_program(make_group(b))
    their_item = make_plan_item(theirs)
    with platform_scope("setup"):
        order = Order(institution_id=b.id, kind=OrderKind.PAIRS, number="5", issued_on=date(2024, 9, 2),
                      title="Чужой приказ", items=order_items(b, "Пункт"), academic_year="2024-2025")
        db.session.add(order)
        db.session.commit()
    client = api(make_user((Role.HEAD, a)))
    assert client.get(f"/api/v1/i/{a.slug}/orders/{order.id}").status_code == 404
    assert client.get(f"/api/v1/i/{a.slug}/orders/{order.id}/order.docx").status_code == 404
    assert client.get(f"/api/v1/i/{a.slug}/orders").get_json()["total"] == 0
    assert client.post(f"/api/v1/i/{a.slug}/programs/{theirs.id}/items/{their_item.id}/done").status_code == 404
    assert client.post(f"/api/v1/i/{a.slug}/programs/{mine.id}/items/{their_item.id}/done").status_code == 404
    assert client.post(f"/api/v1/i/{a.slug}/programs/{theirs.id}/items",
                       json={"content": "Чужое", "due_date": "2024-10-01"}).status_code == 404


def test_pagination_of_programs_and_orders(app, api):
    inst = make_institution()
    ids = sorted(make_program(make_group(inst)).id for _ in range(3))
    client = api(make_user((Role.CURATOR, inst)))
    seen = []
    for page in (1, 2):
        body = client.get(f"/api/v1/i/{inst.slug}/programs?per_page=2&page={page}").get_json()
        assert (body["page"], body["pages"], body["total"]) == (page, 2, 3)
        seen += [p["id"] for p in body["items"]]
    assert sorted(seen) == ids
    assert client.get(f"/api/v1/i/{inst.slug}/programs?per_page=2&page=9").get_json()["items"] == []
    r = client.get(f"/api/v1/i/{inst.slug}/orders?per_page=много")
    assert r.status_code == 422 and "per_page" in r.get_json()["error"]["fields"]


def test_coordinator_reads_but_mentee_cannot_list_groups(app, api):
    inst = make_institution()
    make_group(inst)
    coordinator = api(make_user((Role.COORDINATOR, inst.municipality)))
    assert coordinator.get(f"/api/v1/i/{inst.slug}/groups").get_json()["total"] == 1
    assert coordinator.post(f"/api/v1/i/{inst.slug}/programs/1/items", json={}).status_code == 403
    mentee = api(make_user((Role.MENTEE, inst)))
    assert mentee.get(f"/api/v1/i/{inst.slug}/groups").status_code == 403
    assert mentee.get(f"/api/v1/i/{inst.slug}/orders").status_code == 403


def test_openapi_lists_mentoring_paths_and_schemas(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    paths = doc["paths"]
    assert "/api/v1/i/{inst_slug}/orders/{order_id}/order.docx" in paths
    assert {"get"} <= set(paths["/api/v1/i/{inst_slug}/programs/{program_id}"])
    assert {"post"} <= set(paths["/api/v1/i/{inst_slug}/programs/{program_id}/items/{item_id}/done"])
    schemas = doc["components"]["schemas"]
    assert {"Group", "GroupMember", "Program", "PlanItem", "PlanItemInput", "Order", "Acknowledgement"} <= set(schemas)
    assert "acknowledgements" in schemas["Order"]["properties"]
