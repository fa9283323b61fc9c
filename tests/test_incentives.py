"""Incentives as a system (seed §3.3, §3.5, §4.2; roadmap item 5): the institution's kinds of material and
non-material incentives, a proposal from the association or a colleague, the order «О поощрении» that approves it,
the incentive on the staff card, in the registry and in the indicators, the order answering roadmap item 5."""
from __future__ import annotations

from datetime import date

from portal.accounts.services import create_api_token
from portal.extensions import db
from tenants.access import Role
from tenants.context import institution_scope
from tests.factories import make_group, make_institution, make_staff, make_user


def _api(app, user):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(user, "test")
    return client


def test_an_incentive_approved_by_order_shows_on_the_staff_card_and_in_the_registry(app, client, login):
    inst = make_institution()
    curator, head, colleague_user = (make_user((Role.CURATOR, inst)), make_user((Role.HEAD, inst)),
                                     make_user((Role.MENTOR, inst)))
    mentor = make_staff(inst, last_name="Наставникова", first_name="Елена", middle_name="Петровна")
    make_staff(inst, user_id=colleague_user.id)
    make_group(inst, mentors=[mentor])
    api, boss, colleague = _api(app, curator), _api(app, head), _api(app, colleague_user)
    base = f"/api/v1/i/{inst.slug}"
    # The institution's kinds: the defaults, material and not, and one of its own.
    kinds = api.get(f"{base}/incentive-kinds").get_json()["items"]
    assert {k["material"] for k in kinds} == {True, False}
    own = api.post(f"{base}/incentive-kinds", json={"name": "Сертификат на обучение", "material": True})
    assert own.status_code == 201
    assert api.post(f"{base}/incentive-kinds", json={"name": " "}).status_code == 422
    # A colleague proposes; bad input is a 422 with every field in Russian.
    bad = colleague.post(f"{base}/incentive-proposals", json={"staff_id": 999999, "kind_id": own.get_json()["id"],
                                                              "grounds": ""})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"staff_id", "grounds"}
    r = colleague.post(f"{base}/incentive-proposals", json={
        "staff_id": mentor.id, "kind_id": own.get_json()["id"], "source": "colleague",
        "grounds": "За подготовку молодого педагога к городскому конкурсу"})
    assert r.status_code == 201 and r.get_json()["state"] == "proposed"
    proposal = r.get_json()["id"]
    # The curator drafts the order «О поощрении» from it; the head issues it.
    order = api.post(f"{base}/incentive-orders", json={"proposal_ids": [proposal], "number": "45-О",
                                                       "issued_on": "2024-12-20"})
    assert order.status_code == 201, order.get_json()
    order = order.get_json()
    assert order["kind"] == "incentive" and order["title"] == "О поощрении наставников"
    assert "Наставникова Елена Петровна" in order["items"][0]["text"]
    assert [a["staff_id"] for a in order["acknowledgements"]] == [mentor.id]
    assert boss.post(f"{base}/orders/{order['id']}/issue").status_code == 200
    listed = api.get(f"{base}/incentive-proposals").get_json()["items"]
    assert [(p["state"], p["order_id"]) for p in listed] == [("approved", order["id"])]
    # On the staff card, in the registry, in the indicators; the order answers roadmap item 5.
    login(curator)
    card = client.get(f"/i/{inst.slug}/staff/{mentor.id}").get_data(as_text=True)
    assert "Сертификат на обучение" in card and "приказ № 45-О" in card
    with institution_scope(inst.id):
        from portal.registry.registry import rows
        from portal.roadmap.indicators import compute
        from portal.roadmap.models import TaskEvidence

        row = next(r for r in rows(date(2024, 12, 31)) if "Наставникова" in r[2])
        assert row[-1] == "Сертификат на обучение (2024)"
        assert compute("2024-Q4")["mentors_rewarded"] == 1
        assert db.session.query(TaskEvidence).filter_by(source="incentive_order", source_id=order["id"]).count() == 1


def test_the_association_proposes_through_its_member_and_a_proposal_is_declined_with_a_reason(app):
    inst = make_institution()
    member_user, outsider_user = make_user((Role.MENTOR, inst)), make_user((Role.MENTEE, inst))
    member = make_staff(inst, user_id=member_user.id)
    make_staff(inst, user_id=outsider_user.id)
    mentor = make_staff(inst)
    make_group(inst, mentors=[mentor])
    with institution_scope(inst.id):
        from portal.association.models import Association, AssociationMember
        from portal.incentives import services

        shmo = Association(kind="shmo", name="ШМО наставников")
        shmo.members.append(AssociationMember(staff_id=member.id, role="member", joined_on=date(2024, 9, 1)))
        db.session.add(shmo)
        db.session.commit()
        shmo_id, kind_id = shmo.id, services.kinds()[0].id
    base = f"/api/v1/i/{inst.slug}/incentive-proposals"
    body = {"staff_id": mentor.id, "kind_id": kind_id, "grounds": "За наставничество", "source": "association",
            "association_id": shmo_id}
    refused = _api(app, outsider_user).post(base, json=body)
    assert refused.status_code == 422 and "член" in refused.get_json()["error"]["fields"]["association_id"]
    r = _api(app, member_user).post(base, json=body)
    assert r.status_code == 201 and r.get_json()["source"] == "association"
    curator = _api(app, make_user((Role.CURATOR, inst)))
    assert curator.post(f"{base}/{r.get_json()['id']}/decline", json={"note": ""}).status_code == 422
    declined = curator.post(f"{base}/{r.get_json()['id']}/decline", json={"note": "Повторно в следующем году"})
    assert declined.status_code == 200 and declined.get_json()["state"] == "declined"
