"""Mentoring in the JSON API: same rules and scoping as the pages."""
from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from portal.accounts.services import create_api_token
from portal.extensions import db
from portal.mentoring.models import Order, PlanItem
from portal.mentoring.states import GroupState, OrderKind
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tests.factories import make_group, make_institution, make_plan_item, make_program, make_staff, make_user


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
                      title="О закреплении наставнических пар", items=["Закрепить"], academic_year="2024-2025")
        db.session.add(order)
        db.session.commit()
    with institution_scope(inst.id):
        from portal.mentoring.orders import link_groups, order as get_order

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


def test_openapi_lists_mentoring_paths(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "/api/v1/i/{inst_slug}/orders/{order_id}/order.docx" in paths
