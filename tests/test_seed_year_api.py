"""The seed's year through the JSON API, in invented names: the Положение from the template, the Word list imported
naming the order and the year, consent, the order with items 1.–4. and sub-items, two appendices and five
acknowledgers, refused without consent and by a curator without delegation, issued by the head, read back as DOCX;
the year closed with a program carried over; the annual report sent, returned, sent again and accepted."""
from __future__ import annotations

import io

from docx import Document

from portal.accounts.services import create_api_token
from portal.mentoring.states import ProgramState
from tests import seed_year as seed
from tests.factories import make_program


def _client(app, user):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(user, "journey")
    return client


def test_the_seeds_year_through_the_api(app):
    inst, head, curator, deputy, coordinator = seed.make_kindergarten()
    api, boss, city = _client(app, curator), _client(app, head), _client(app, coordinator)
    base, city_base = f"/api/v1/i/{inst.slug}", f"/api/v1/m/{inst.municipality.slug}"

    # The Положение in the seed's structure, as a draft.
    act = api.post(f"{base}/acts/regulation").get_json()
    assert act["kind"] == "regulation" and act["versions"][0]["draft"] is True
    assert api.post(f"{base}/acts/regulation").status_code == 422            # one Положение per institution
    bad = api.post(f"{base}/acts", json={"kind": "regulation", "title": "Х" * 501, "colour": "red"})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"title", "colour"}

    # The list: the Word table, naming the order and the academic year.
    r = api.post(f"{base}/groups/import", data={"file": (io.BytesIO(seed.list_docx()), "список.docx"),
                                                "order_number": seed.ORDER_NUMBER, "order_date": "21.11.2022",
                                                "academic_year": seed.YEAR}, content_type="multipart/form-data")
    assert r.status_code == 201, r.get_json()
    imported = r.get_json()
    assert (imported["groups_created"], imported["staff_created"]) == (1, 4) and imported["order_id"]
    again = api.post(f"{base}/groups/import", data={"file": (io.BytesIO(seed.list_docx()), "список.docx"),
                                                    "order_number": seed.ORDER_NUMBER, "order_date": "21.11.2022"},
                     content_type="multipart/form-data").get_json()
    assert (again["groups_created"], again["pairs_unchanged"], again["order_id"]) == (0, 3, imported["order_id"])
    group = api.get(f"{base}/groups/{imported['group_ids'][0]}").get_json()
    assert (group["start_date"], group["academic_year"]) == ("2022-11-21", seed.YEAR)
    assert [m["stated_tenure"] for m in group["members"] if m["role"] == "mentee"] == seed.TENURE

    # The order as №…-0 has it: items, the Положение as appendix 1, the list as appendix 2, five acknowledgers.
    order_id = imported["order_id"]
    mentees = [m["staff_id"] for m in group["members"] if m["role"] == "mentee"]
    mentor = next(m["staff_id"] for m in group["members"] if m["role"] == "mentor")
    body = {"kind": "mentoring", "number": seed.ORDER_NUMBER, "issued_on": "2022-11-21", "preamble": seed.PREAMBLE,
            "items": seed.ITEMS, "group_ids": [group["id"]],
            "appendices": [{"kind": "local_act", "act_version_id": act["versions"][0]["id"]}, {"kind": "group_list"}],
            "acknowledgements": [{"staff_id": sid, "due_date": "2022-11-26"} for sid in [deputy.id, mentor, *mentees]]}
    bad = api.put(f"{base}/orders/{order_id}", json={**body, "items": "1. Утвердить:\n3.1. Без пункта 3"})
    assert bad.status_code == 422 and "пункт 3.1 идёт без пункта 3" in bad.get_json()["error"]["fields"]["items"]
    order = api.put(f"{base}/orders/{order_id}", json=body).get_json()
    assert order["title"] == "О наставничестве" and order["signer_name"] == "И. П. Соколова"
    assert [i["number"] for i in order["items"]] == ["1.", "2.", "3.", "4."]
    assert [i["number"] for i in order["items"][1]["items"]] == ["2.1.", "2.2.", "2.3."]
    assert order["items"][1]["items"][2]["due_date"] == "2023-05-15"
    assert [(a["number"], a["kind"]) for a in order["appendices"]] == [(1, "local_act"), (2, "group_list")]
    item_21 = order["items"][1]["items"][0]["id"]
    order = api.post(f"{base}/orders/{order_id}/items/{item_21}", json={"responsible_staff_id": deputy.id}).get_json()
    assert order["items"][1]["items"][0]["responsible"] == "Гарипова Л. А."
    assert [a["name"] for a in order["acknowledgements"]] == ["Гарипова Л. А.", "Белова Т. А.", "Хайруллина Г. Р.",
                                                             "Гусейнова А. Э. Г.", "Алиева М. Р."]

    # Issuing: the curator has no delegation; the head is refused until everyone has consented in writing.
    r = api.post(f"{base}/orders/{order_id}/issue")
    assert r.status_code == 403 and "по поручению руководителя" in r.get_json()["error"]["message"]
    r = boss.post(f"{base}/orders/{order_id}/issue")
    assert r.status_code == 422
    assert all(name in r.get_json()["error"]["message"] for name in ("Белова Т. А.", "Гусейнова А. Э. Г."))
    assert api.post(f"{base}/groups/{group['id']}/members/{group['members'][0]['id']}/consent",
                    json={"consent_date": 5}).status_code == 422
    for member in group["members"]:
        r = api.post(f"{base}/groups/{group['id']}/members/{member['id']}/consent", json={"consent_date": "18.11.2022"})
        assert r.status_code == 200
    issued = boss.post(f"{base}/orders/{order_id}/issue").get_json()
    assert issued["issued"] is True and issued["missing_consents"] == []
    assert api.get(f"{base}/groups/{group['id']}").get_json()["state"] == "approved"
    act = api.get(f"{base}/acts/{act['id']}").get_json()
    assert act["current_version_id"] == act["versions"][0]["id"]
    assert act["versions"][0]["approval"] == f"утверждено приказом от 21.11.2022 № {seed.ORDER_NUMBER}"
    doc = Document(io.BytesIO(api.get(f"{base}/orders/{order_id}/order.docx").data))
    assert [r.cells[4].text for r in doc.tables[-1].rows[1:]] == seed.TENURE
    assert len(doc.tables[2].rows) == 6   # the acknowledgement list: a header and five people

    # The year closes and carries the program that goes on.
    _program_going_on(inst, group["id"])
    closed = api.post(f"{base}/academic-years/close", json={"year": seed.YEAR}).get_json()
    assert (closed["carried_groups"], closed["carried_programs"], closed["next_year"]) == (1, 1, "2023-2024")
    assert api.post(f"{base}/academic-years/close", json={"year": "2022"}).status_code == 422
    nxt = api.get(f"{base}/orders/{closed['next_order_id']}").get_json()
    assert nxt["issued"] is False and nxt["academic_year"] == "2023-2024" and nxt["group_ids"] == [group["id"]]

    # The annual report: generated, sent, returned with remarks, sent again, accepted.
    report = api.post(f"{base}/annual-reports", json={"academic_year": seed.YEAR}).get_json()
    assert report["state"] == "draft" and report["due_date"] == "2023-05-15" and report["figures"]["groups"] == 1
    assert api.post(f"{base}/annual-reports", json={"academic_year": "2022/23"}).status_code == 422
    r = api.post(f"{base}/annual-reports/{report['id']}/submit")
    assert r.status_code == 422 and "Прокомментируйте показатели: «Ознакомлены»" in r.get_json()["error"]["message"]
    comments = {k: "Пояснение куратора" for k in report["needs_comment"]}
    api.patch(f"{base}/annual-reports/{report['id']}",
              json={"comments": comments, "sections": {"events": "Семинар наставников, взаимопосещения занятий."}})
    assert api.post(f"{base}/annual-reports/{report['id']}/submit").get_json()["state"] == "submitted"
    listed = city.get(f"{city_base}/annual-reports?year={seed.YEAR}").get_json()
    assert [(i["slug"], i["report"]["state"]) for i in listed["items"]] == [(inst.slug, "submitted")]
    assert city.post(f"{city_base}/annual-reports/{report['id']}/return", json={"comment": ""}).status_code == 422
    returned = city.post(f"{city_base}/annual-reports/{report['id']}/return",
                         json={"comment": "Дополните раздел о трудностях."}).get_json()
    assert returned["state"] == "returned" and returned["review_comment"] == "Дополните раздел о трудностях."
    api.patch(f"{base}/annual-reports/{report['id']}", json={"sections": {"difficulties": "Нехватка времени."}})
    api.post(f"{base}/annual-reports/{report['id']}/submit")
    accepted = city.post(f"{city_base}/annual-reports/{report['id']}/accept").get_json()
    assert accepted["state"] == "accepted"
    assert [e["action"] for e in accepted["events"]] == ["generated", "submitted", "returned", "submitted", "accepted"]
    analysis = Document(io.BytesIO(city.get(f"{city_base}/annual-reports/analysis.docx?year={seed.YEAR}").data))
    assert any("Отчёты представили 1 из 1" in p.text for p in analysis.paragraphs)
    assert api.get(f"{city_base}/annual-reports").status_code == 404    # a curator has no place in the city area

    # The OpenAPI document publishes all of it.
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    for path, method in [("/i/{inst_slug}/groups/import", "post"), ("/i/{inst_slug}/orders", "post"),
                         ("/i/{inst_slug}/orders/{order_id}/issue", "post"), ("/i/{inst_slug}/acts", "post"),
                         ("/i/{inst_slug}/annual-reports/{report_id}/submit", "post"),
                         ("/m/{muni_slug}/annual-reports/{report_id}/return", "post"),
                         ("/i/{inst_slug}/academic-years/close", "post")]:
        assert method in paths["/api/v1" + path], path


def _program_going_on(inst, group_id):
    """A program of the pair from March to February: it goes on into the next academic year."""
    from datetime import date

    from portal.extensions import db
    from portal.mentoring.models import MentoringGroup
    from tenants.context import institution_scope

    with institution_scope(inst.id):
        make_program(db.session.get(MentoringGroup, group_id), start=date(2023, 3, 1), months=11,
                     state=ProgramState.ACTIVE)
