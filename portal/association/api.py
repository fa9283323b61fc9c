"""Methodological associations in the JSON API, as on the pages, for both levels: /api/v1/i/<slug>/associations
(ШМО, совет наставников) and /api/v1/m/<city>/associations (ГМО, seminars of curators).

Operations on a row named in the URL look the row up before they read the body, so another tenant's id is a 404
whatever the body; their bodies are documented as optional for that reason and checked by the services."""
from __future__ import annotations

from datetime import date

from flask import g, jsonify, request, url_for
from flask_login import current_user

from portal.api import base
from portal.association import plans, services
from portal.association.family import CITY, INSTITUTION
from portal.association.protocol import render_protocol
from portal.documents.responses import docx_response
from portal.errors import NotFound
from portal.extensions import csrf
from tenants.access import (FORM_ASSOCIATION, KEEP_ASSOCIATION, READ_ASSOCIATION, RUN_CITY_ASSOCIATION,
                            WORK_ON_DECISIONS, allow, can)


def _iso(d):
    return d.isoformat() if d else None


def association_json(row) -> dict:
    return {"id": row.id, "kind": row.kind, "name": row.name,
            "members": [{"id": m.id, "staff_id": m.staff_id, "name": m.staff.full_name, "role": m.role}
                        for m in services.current_members(row)]}


def meeting_json(row, m) -> dict:
    return {"id": m.id, "number": m.number, "academic_year": m.academic_year, "date": _iso(m.held_on),
            "starts_at": m.starts_at, "place": m.place, "link": m.link, "topic": m.topic, "state": m.state.value,
            "guests": m.guests, "protocol_title": services.protocol_title(row, m),
            "agenda": [{"id": i.id, "position": i.position, "title": i.title, "speaker": i.speaker, "heard": i.heard,
                        "spoke": i.spoke, "decided": i.decided, "mentoring": i.mentoring} for i in m.agenda],
            "attendance": [{"staff_id": a.staff_id, "name": a.staff.full_name, "present": a.present, "note": a.note}
                           for a in m.attendance],
            "decisions": [decision_json(d) for d in m.decisions]}


def decision_json(d) -> dict:
    return {"id": d.id, "meeting_id": d.meeting_id, "agenda_item_id": d.agenda_item_id, "text": d.text,
            "responsible": d.responsible, "responsible_staff_id": d.responsible_staff_id,
            "due_date": _iso(d.due_date), "done_on": _iso(d.done_on), "done_note": d.done_note}


def _str(body: dict, key: str) -> str:
    value = body.get(key)
    return "" if value is None else str(value)


def _make(name: str, prefix: str, fam, read, form, keep, decide, organisation):  # noqa: C901 (predates the limit)
    maker = base.api_municipality_blueprint if fam.is_city else base.api_institution_blueprint
    bp = maker(name, __name__)
    editor = lambda: can(form)  # noqa: E731

    def assoc(association_id):
        return services.association(fam, association_id)

    def kept(association_id):
        row = assoc(association_id)
        services.check_keeper(current_user, editor(), row)
        return row

    def meeting_of(association_id, meeting_id, keep_it=True):
        row = kept(association_id) if keep_it else assoc(association_id)
        return row, services.meeting(fam, row, meeting_id)

    @bp.get("/associations", endpoint="list_associations")
    @allow(read)
    def list_associations():
        return jsonify({"items": [association_json(r) for r in services.associations(fam)]})

    @bp.post("/associations", endpoint="create_association")
    @allow(form)
    def create_association():
        body = base.json_body()
        return jsonify(association_json(services.save_association(fam, {"kind": _str(body, "kind"),
                                                                         "name": _str(body, "name")}))), 201

    @bp.get("/associations/<int:association_id>", endpoint="get_association")
    @allow(read)
    def get_association(association_id: int):
        row = assoc(association_id)
        return jsonify({**association_json(row), "meetings": [
            {"id": m.id, "number": m.number, "date": _iso(m.held_on), "state": m.state.value, "topic": m.topic}
            for m in services.meetings(fam, row)],
            "open_decisions": [decision_json(d) for d in services.open_decisions(fam, row)]})

    @bp.post("/associations/<int:association_id>/members", endpoint="add_member")
    @allow(form)
    def add_member(association_id: int):
        row = assoc(association_id)
        body = base.json_body()
        member = services.add_member(fam, row, body.get("staff_id"), _str(body, "role") or "member")
        return jsonify({"id": member.id, "staff_id": member.staff_id, "role": member.role}), 201

    @bp.post("/associations/<int:association_id>/members/<int:association_member_id>/role", endpoint="member_role")
    @allow(form)
    def member_role(association_id: int, association_member_id: int):
        row = assoc(association_id)
        services.set_role(fam, row, association_member_id, _str(base.json_body(), "role"))
        return jsonify(association_json(row))

    @bp.delete("/associations/<int:association_id>/members/<int:association_member_id>", endpoint="remove_member")
    @allow(form)
    def remove_member(association_id: int, association_member_id: int):
        services.remove_member(fam, assoc(association_id), association_member_id)
        return "", 204

    @bp.post("/associations/<int:association_id>/meetings", endpoint="plan_meeting")
    @allow(keep)
    def plan_meeting(association_id: int):
        row = kept(association_id)
        body = base.json_body()
        m = services.plan_meeting(fam, row, {**{k: _str(body, k) for k in ("starts_at", "place", "link", "topic")},
                                             "held_on": _str(body, "date"),
                                             "agenda": "\n".join(str(x) for x in body.get("agenda") or [])})
        return jsonify(meeting_json(row, m)), 201

    @bp.get("/associations/<int:association_id>/meetings/<int:meeting_id>", endpoint="get_meeting")
    @allow(read)
    def get_meeting(association_id: int, meeting_id: int):
        row, m = meeting_of(association_id, meeting_id, keep_it=False)
        return jsonify(meeting_json(row, m))

    @bp.patch("/associations/<int:association_id>/meetings/<int:meeting_id>", endpoint="update_meeting")
    @allow(keep)
    def update_meeting(association_id: int, meeting_id: int):
        row, m = meeting_of(association_id, meeting_id)
        body = base.json_body()
        current = {"held_on": m.held_on, "starts_at": m.starts_at, "place": m.place, "link": m.link, "topic": m.topic,
                   "guests": m.guests}
        given = {("held_on" if k == "date" else k): _str(body, k) for k in
                 ("date", "starts_at", "place", "link", "topic", "guests") if k in body}
        services.update_meeting(fam, m, {**current, **given})
        return jsonify(meeting_json(row, m))

    @bp.post("/associations/<int:association_id>/meetings/<int:meeting_id>/cancel", endpoint="cancel_meeting")
    @allow(keep)
    def cancel_meeting(association_id: int, meeting_id: int):
        row, m = meeting_of(association_id, meeting_id)
        services.cancel_meeting(fam, m)
        return jsonify(meeting_json(row, m))

    @bp.post("/associations/<int:association_id>/meetings/<int:meeting_id>/agenda", endpoint="add_agenda_item")
    @allow(keep)
    def add_agenda_item(association_id: int, meeting_id: int):
        row, m = meeting_of(association_id, meeting_id)
        body = base.json_body()
        services.add_agenda_item(fam, m, {"title": _str(body, "title"), "speaker": _str(body, "speaker")})
        return jsonify(meeting_json(row, m)), 201

    @bp.patch("/associations/<int:association_id>/meetings/<int:meeting_id>/agenda/<int:agenda_item_id>",
              endpoint="minutes")
    @allow(keep)
    def minutes(association_id: int, meeting_id: int, agenda_item_id: int):
        row, m = meeting_of(association_id, meeting_id)
        body = base.json_body()
        data = {k: _str(body, k) for k in ("title", "speaker", "heard", "spoke", "decided") if k in body}
        if "mentoring" in body:
            data["mentoring"] = body["mentoring"] is True
        services.update_minutes(fam, m, agenda_item_id, data)
        return jsonify(meeting_json(row, m))

    @bp.delete("/associations/<int:association_id>/meetings/<int:meeting_id>/agenda/<int:agenda_item_id>",
               endpoint="remove_agenda_item")
    @allow(keep)
    def remove_agenda_item(association_id: int, meeting_id: int, agenda_item_id: int):
        row, m = meeting_of(association_id, meeting_id)
        services.remove_agenda_item(fam, m, agenda_item_id)
        return "", 204

    @bp.put("/associations/<int:association_id>/meetings/<int:meeting_id>/attendance", endpoint="attendance")
    @allow(keep)
    def attendance(association_id: int, meeting_id: int):
        row, m = meeting_of(association_id, meeting_id)
        body = base.json_body()
        notes = {int(k): str(v) for k, v in (body.get("notes") or {}).items() if str(k).isdigit()}
        services.record_attendance(fam, m, [str(i) for i in body.get("present") or []], notes)
        return jsonify(meeting_json(row, m))

    @bp.post("/associations/<int:association_id>/meetings/<int:meeting_id>/decisions", endpoint="add_decision")
    @allow(keep)
    def add_decision(association_id: int, meeting_id: int):
        row, m = meeting_of(association_id, meeting_id)
        body = base.json_body()
        d = services.add_decision(fam, m, {k: _str(body, k) for k in (
            "text", "agenda_item_id", "responsible_staff_id", "responsible", "due_date")})
        return jsonify(decision_json(d)), 201

    @bp.post("/associations/<int:association_id>/meetings/<int:meeting_id>/issue", endpoint="issue")
    @allow(keep)
    def issue(association_id: int, meeting_id: int):
        row, m = meeting_of(association_id, meeting_id)
        page = "city_association.meeting" if fam.is_city else "association.meeting"
        services.issue_protocol(fam, m, url_for(page, association_id=row.id, meeting_id=m.id))
        return jsonify(meeting_json(row, m))

    @bp.get("/associations/<int:association_id>/meetings/<int:meeting_id>/protocol.docx", endpoint="protocol")
    @allow(read)
    def protocol(association_id: int, meeting_id: int):
        row, m = meeting_of(association_id, meeting_id, keep_it=False)
        return docx_response(render_protocol(row, m, organisation(), city=fam.is_city), f"protocol-{m.number}.docx")

    @bp.post("/associations/<int:association_id>/decisions/<int:decision_id>/done", endpoint="decision_done")
    @allow(decide)
    def decision_done(association_id: int, decision_id: int):
        row = assoc(association_id)
        d = services.decision(fam, decision_id)
        if d.meeting.association_id != row.id:
            raise NotFound("Решение не найдено.")
        body = request.get_json(silent=True) or {}
        services.mark_decision_done(fam, d, current_user, editor(), _str(body, "note"))
        return jsonify(decision_json(d))

    @bp.get("/associations/<int:association_id>/plan", endpoint="get_plan")
    @allow(read)
    def get_plan(association_id: int):
        row = assoc(association_id)
        year = plans.check_year(request.args.get("academic_year") or services.academic_year(date.today()))
        current = plans.plan(fam, row, year)
        return jsonify({"academic_year": year, "approved_on": _iso(current.approved_on) if current else None,
                        "note": current.note if current else "",
                        "items": [{"id": i.id, "position": i.position, "when": i.when, "content": i.content,
                                   "form": i.form, "responsible": i.responsible, "mentoring": i.mentoring}
                                  for i in plans.items(fam, row, year)]})

    @bp.post("/associations/<int:association_id>/plan/items", endpoint="add_plan_line")
    @allow(keep)
    def add_plan_line(association_id: int):
        row = kept(association_id)
        body = base.json_body()
        item = plans.add_item(fam, row, _str(body, "academic_year"), {
            **{k: _str(body, k) for k in ("when", "content", "form", "responsible")},
            "mentoring": body.get("mentoring", True) is True})
        return jsonify({"id": item.id, "position": item.position}), 201

    @bp.delete("/associations/<int:association_id>/plan/items/<int:plan_line_id>", endpoint="remove_plan_line")
    @allow(keep)
    def remove_plan_line(association_id: int, plan_line_id: int):
        plans.remove_item(fam, kept(association_id), plan_line_id)
        return "", 204

    @bp.post("/associations/<int:association_id>/plan/approve", endpoint="approve_plan")
    @allow(keep)
    def approve_plan(association_id: int):
        row = kept(association_id)
        body = base.json_body()
        page = "city_association.plan" if fam.is_city else "association.plan"
        year = _str(body, "academic_year")
        current = plans.approve(fam, row, year, {"approved_on": _str(body, "approved_on"),
                                                 "meeting_id": _str(body, "meeting_id")},
                                url_for(page, association_id=row.id, academic_year=year))
        return jsonify({"academic_year": current.academic_year, "approved_on": _iso(current.approved_on),
                        "note": current.note})

    _document(prefix, fam.is_city)
    return bp


_S = {"type": "string", "maxLength": 500}
_T = {"type": "string", "maxLength": 10000}
_ID = {"type": ["integer", "string", "null"]}
base.OPENAPI_SCHEMAS.update({
    "Association": {"type": "object", "properties": {
        "id": {"type": "integer"}, "kind": {"type": "string"}, "name": {"type": "string"},
        "members": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "staff_id": {"type": "integer"}, "name": {"type": "string"},
            "role": {"type": "string", "enum": ["chair", "secretary", "member"]}}}}}},
    "AssociationMeeting": {"type": "object", "properties": {
        "id": {"type": "integer"}, "number": {"type": "integer"}, "academic_year": {"type": "string"},
        "date": {"type": "string", "format": "date"}, "starts_at": {"type": "string"}, "place": {"type": "string"},
        "link": {"type": "string"}, "topic": {"type": "string"},
        "state": {"type": "string", "enum": ["planned", "held", "issued", "cancelled"]},
        "protocol_title": {"type": "string"}, "agenda": {"type": "array", "items": {"type": "object"}},
        "attendance": {"type": "array", "items": {"type": "object"}},
        "decisions": {"type": "array", "items": {"$ref": "#/components/schemas/AssociationDecision"}}}},
    "AssociationDecision": {"type": "object", "properties": {
        "id": {"type": "integer"}, "meeting_id": {"type": "integer"}, "agenda_item_id": {"type": ["integer", "null"]},
        "text": {"type": "string"}, "responsible": {"type": "string"},
        "responsible_staff_id": {"type": ["integer", "null"]},
        "due_date": {"type": ["string", "null"], "format": "date"},
        "done_on": {"type": ["string", "null"], "format": "date"}, "done_note": {"type": "string"}}},
    "AssociationPlan": {"type": "object", "properties": {
        "academic_year": {"type": "string"}, "approved_on": {"type": ["string", "null"], "format": "date"},
        "note": {"type": "string"}, "items": {"type": "array", "items": {"type": "object"}}}},
    "AssociationInput": {"type": "object", "additionalProperties": False, "required": ["kind"], "properties": {
        "kind": {"type": "string", "maxLength": 30}, "name": {"type": "string", "maxLength": 300}}},
    "AssociationMemberInput": {"type": "object", "additionalProperties": False, "required": ["staff_id"],
                               "properties": {"staff_id": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
                                              "role": {"type": "string", "enum": ["chair", "secretary", "member"]}}},
    "AssociationRoleInput": {"type": "object", "additionalProperties": False, "required": ["role"], "properties": {
        "role": {"type": "string", "enum": ["chair", "secretary", "member"]}}},
    "AssociationMeetingInput": {"type": "object", "additionalProperties": False, "required": ["date"], "properties": {
        "date": {"type": "string", "format": "date"}, "starts_at": {"type": "string", "maxLength": 5},
        "place": {"type": "string", "maxLength": 300}, "link": _S, "topic": _S, "guests": _T,
        "agenda": {"type": "array", "maxItems": 50, "items": {"type": "string", "maxLength": 5000}}}},
    "AssociationAgendaInput": {"type": "object", "additionalProperties": False, "required": ["title"], "properties": {
        "title": {"type": "string", "maxLength": 5000}, "speaker": {"type": "string", "maxLength": 300}}},
    "AssociationMinutesInput": {"type": "object", "additionalProperties": False, "properties": {
        "title": {"type": "string", "maxLength": 5000}, "speaker": {"type": "string", "maxLength": 300},
        "heard": _T, "spoke": _T, "decided": _T, "mentoring": {"type": "boolean"}}},
    "AssociationAttendanceInput": {"type": "object", "additionalProperties": False, "properties": {
        "present": {"type": "array", "maxItems": 1000, "items": {"type": "integer"}},
        "notes": {"type": "object", "additionalProperties": {"type": "string", "maxLength": 300}}}},
    "AssociationDecisionInput": {"type": "object", "additionalProperties": False, "required": ["text"], "properties": {
        "text": {"type": "string", "maxLength": 5000}, "agenda_item_id": _ID, "responsible_staff_id": _ID,
        "responsible": {"type": "string", "maxLength": 300}, "due_date": {"type": ["string", "null"], "format": "date"}}},
    "AssociationDecisionDoneInput": {"type": "object", "additionalProperties": False, "properties": {
        "note": {"type": "string", "maxLength": 5000}}},
    "AssociationPlanLineInput": {"type": "object", "additionalProperties": False,
                                 "required": ["academic_year", "when", "content"], "properties": {
                                     "academic_year": {"type": "string", "maxLength": 9},
                                     "when": {"type": "string", "maxLength": 100},
                                     "content": {"type": "string", "maxLength": 5000},
                                     "form": {"type": "string", "maxLength": 200},
                                     "responsible": {"type": "string", "maxLength": 300},
                                     "mentoring": {"type": "boolean"}}},
    "AssociationPlanApproveInput": {"type": "object", "additionalProperties": False, "required": ["academic_year"],
                                    "properties": {"academic_year": {"type": "string", "maxLength": 9},
                                                   "approved_on": {"type": ["string", "null"], "format": "date"},
                                                   "meeting_id": _ID}},
})


def _document(prefix: str, city: bool) -> None:
    tag = "city-associations" if city else "associations"
    a = f"{prefix}/associations"
    one = f"{a}/{{association_id}}"
    m = f"{one}/meetings/{{meeting_id}}"
    opt = {"body_required": not city}   # city operations read their body after the lookup (see the docstring)
    base.document(a, "get", "Методические объединения", response="Association", list_response=True, tag=tag)
    base.document(a, "post", "Создать методическое объединение", body="AssociationInput", response="Association",
                  status="201", tag=tag)
    base.document(one, "get", "Объединение: состав, заседания, открытые решения", response="Association", tag=tag)
    base.document(f"{one}/members", "post", "Добавить в состав", body="AssociationMemberInput", status="201",
                  tag=tag, **opt)
    base.document(f"{one}/members/{{association_member_id}}/role", "post", "Председатель, секретарь или член",
                  body="AssociationRoleInput", response="Association", tag=tag, **opt)
    base.document(f"{one}/members/{{association_member_id}}", "delete", "Вывести из состава", status="204", tag=tag)
    base.document(f"{one}/meetings", "post", "Запланировать заседание (дата, время, место или ссылка, повестка)",
                  body="AssociationMeetingInput", response="AssociationMeeting", status="201", tag=tag, **opt)
    base.document(m, "get", "Заседание: повестка, присутствие, протокол, решения", response="AssociationMeeting",
                  tag=tag)
    base.document(m, "patch", "Изменить заседание", body="AssociationMeetingInput", response="AssociationMeeting",
                  tag=tag, **opt)
    base.document(f"{m}/cancel", "post", "Отменить заседание", response="AssociationMeeting", tag=tag)
    base.document(f"{m}/agenda", "post", "Добавить вопрос повестки дня", body="AssociationAgendaInput",
                  response="AssociationMeeting", status="201", tag=tag, **opt)
    base.document(f"{m}/agenda/{{agenda_item_id}}", "patch", "Слушали, выступили, решили",
                  body="AssociationMinutesInput", response="AssociationMeeting", tag=tag, **opt)
    base.document(f"{m}/agenda/{{agenda_item_id}}", "delete", "Убрать вопрос повестки", status="204", tag=tag)
    base.document(f"{m}/attendance", "put", "Присутствовали и отсутствовали", body="AssociationAttendanceInput",
                  response="AssociationMeeting", tag=tag, **opt)
    base.document(f"{m}/decisions", "post", "Решение: ответственный, срок", body="AssociationDecisionInput",
                  response="AssociationDecision", status="201", tag=tag, **opt)
    base.document(f"{m}/issue", "post", "Оформить протокол (подтверждает мероприятия дорожной карты)",
                  response="AssociationMeeting", tag=tag)
    base.document(f"{m}/protocol.docx", "get", "Протокол заседания (DOCX)", tag=tag)
    base.document(f"{one}/decisions/{{decision_id}}/done", "post", "Решение исполнено",
                  body="AssociationDecisionDoneInput", body_required=False, response="AssociationDecision", tag=tag)
    base.document(f"{one}/plan", "get", "План работы на учебный год", response="AssociationPlan", tag=tag,
                  params=[{"name": "academic_year", "in": "query", "schema": {"type": "string", "maxLength": 9}}])
    base.document(f"{one}/plan/items", "post", "Строка плана работы", body="AssociationPlanLineInput", status="201",
                  tag=tag, **opt)
    base.document(f"{one}/plan/items/{{plan_line_id}}", "delete", "Убрать строку плана", status="204", tag=tag)
    base.document(f"{one}/plan/approve", "post", "Утвердить план работы (п. 22 дорожной карты)",
                  body="AssociationPlanApproveInput", response="AssociationPlan", tag=tag, **opt)


inst_api = _make("association_api", "/i/{inst_slug}", INSTITUTION, READ_ASSOCIATION, FORM_ASSOCIATION,
                 KEEP_ASSOCIATION, WORK_ON_DECISIONS, lambda: g.institution.full_name)
city_api = _make("city_association_api", "/m/{muni_slug}", CITY, RUN_CITY_ASSOCIATION, RUN_CITY_ASSOCIATION,
                 RUN_CITY_ASSOCIATION, RUN_CITY_ASSOCIATION, lambda: f"Управление образования\n{g.municipality.name}")


def register_api(app) -> None:
    for bp in (inst_api, city_api):
        csrf.exempt(bp)
        app.register_blueprint(bp)
