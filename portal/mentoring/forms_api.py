"""Forms of mentoring and outside participants in the JSON API, on the mentoring API blueprint (speed meetings:
portal/pairs/api.py):
the same services, rules and Russian messages as the pages."""
from __future__ import annotations

from flask import jsonify

from portal.api import base
from portal.api.schemas import BOOL, DAY, INT, NULLABLE_ID, STR, array, enum, obj, ref, strict, text
from portal.mentoring import banks, outsiders
from portal.mentoring import forms as form_rules
from portal.mentoring.api import bp
from portal.mentoring.forms_rules import KIND_LABELS, MENTEES_FROM, MENTORS_FROM
from portal.mentoring.people import EXTERNAL_KINDS
from tenants.access import EDIT_MENTORING, READ_MENTORING, allow


def form_json(f) -> dict:
    return {"id": f.id, "name": f.name, "builtin": f.builtin, "archived": f.archived, "kind": f.kind,
            "kind_label": f.kind_label, "mentors_from": f.mentors_from, "mentees_from": f.mentees_from,
            "description": f.description}


def person_json(p) -> dict:
    return {"id": p.id, "kind": p.kind, "name": p.full_name, "partner_id": p.partner_id,
            "organisation": p.organisation, "position": p.position,
            "consent_date": p.consent_date.isoformat() if p.consent_date else None}


@bp.get("/forms")
@allow(READ_MENTORING)
def list_forms():
    return jsonify({"items": [form_json(f) for f in banks.forms(archived=True)]})


@bp.post("/forms")
@allow(EDIT_MENTORING)
def create_form():
    body = base.json_body()
    row = form_rules.save_form(base.strings(body, "name", "kind", "mentors_from", "mentees_from", "description"))
    return jsonify(form_json(row)), 201


@bp.put("/forms/<int:form_id>")
@allow(EDIT_MENTORING)
def update_form(form_id: int):
    body = base.json_body()
    row = form_rules.save_form(base.strings(body, "name", "kind", "mentors_from", "mentees_from", "description",
                                        "archived"), form_rules.form(form_id))
    return jsonify(form_json(row))


@bp.get("/outside-people")
@allow(READ_MENTORING)
def list_people():
    return jsonify({"items": [person_json(p) for p in outsiders.people()]})


@bp.post("/outside-people")
@allow(EDIT_MENTORING)
def create_person():
    body = base.json_body()
    row = outsiders.add_person(base.strings(body, "kind", "partner_id", "last_name", "first_name", "middle_name",
                                        "position", "consent_date"))
    return jsonify(person_json(row)), 201


@bp.delete("/outside-people/<int:person_id>")
@allow(EDIT_MENTORING)
def erase_person(person_id: int):
    outsiders.erase(outsiders.person(person_id))
    return "", 204


_tag = "mentoring"
_form_props = dict(name=text(300), kind=enum(KIND_LABELS, nullable=True),
                   mentors_from=enum(MENTORS_FROM, nullable=True), mentees_from=enum(MENTEES_FROM, nullable=True),
                   description=text(5000))
base.OPENAPI_SCHEMAS.update({
    "MentoringForm": obj(id=INT, name=STR, builtin=BOOL, archived=BOOL, kind=STR, kind_label=STR, mentors_from=STR,
                         mentees_from=STR, description=STR),
    "MentoringFormList": obj(items=array(ref("MentoringForm"))),
    "MentoringFormInput": strict(["name"], **_form_props),
    "MentoringFormUpdate": strict(**_form_props, archived={"type": ["boolean", "null"]}),
    "OutsidePerson": obj(id=INT, kind=STR, name=STR, partner_id={"type": ["integer", "null"]}, organisation=STR,
                         position=STR, consent_date=DAY),
    "OutsidePersonList": obj(items=array(ref("OutsidePerson"))),
    "OutsidePersonInput": strict(["kind", "last_name", "first_name", "consent_date"], kind=enum(EXTERNAL_KINDS),
                                 partner_id=NULLABLE_ID, last_name=text(100), first_name=text(100),
                                 middle_name=text(100), position=text(300),
                                 consent_date=text(10, "дата письменного согласия на обработку персональных данных")),
})
base.document("/i/{inst_slug}/forms", "get", "Формы наставничества организации", response="MentoringFormList",
              tag=_tag)
base.document("/i/{inst_slug}/forms", "post", "Добавить свою форму наставничества", body="MentoringFormInput",
              response="MentoringForm", tag=_tag, status="201")
base.document("/i/{inst_slug}/forms/{form_id}", "put", "Изменить форму наставничества", body="MentoringFormUpdate",
              response="MentoringForm", tag=_tag)
base.document("/i/{inst_slug}/outside-people", "get", "Участники не из числа сотрудников",
              response="OutsidePersonList", tag=_tag)
base.document("/i/{inst_slug}/outside-people", "post", "Внести участника (работник партнёра, студент) с согласием",
              body="OutsidePersonInput", response="OutsidePerson", tag=_tag, status="201")
base.document("/i/{inst_slug}/outside-people/{person_id}", "delete", "Удалить данные участника", tag=_tag,
              status="204")
