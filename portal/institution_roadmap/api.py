"""The institution's roadmap in the JSON API, as on the pages (/api/v1/i/<slug>/institution-roadmaps/…)."""
from __future__ import annotations

from datetime import date

from flask import g, jsonify, request
from flask_login import current_user

from portal.api import base
from portal.extensions import csrf
from portal.institution_roadmap import services
from portal.web import int_arg
from tenants.access import DEVELOP_INSTITUTION_ROADMAP, READ_INSTITUTION_REPORTING, SUBMIT_EVIDENCE, allow

api = base.api_institution_blueprint("inst_roadmap_api", __name__)


def _iso(d):
    return d.isoformat() if d else None


def _task_json(t, derived: bool) -> dict:
    if derived:
        return {"id": t.id, "kind": "city", "period": t.period, "due_date": _iso(t.due_date), "status": t.status.value}
    return {"id": t.id, "kind": "own", "period": t.period, "due_date": _iso(t.due_date),
            "status": "done" if t.done_on else "open", "done_on": _iso(t.done_on), "note": t.note, "link": t.link}


def roadmap_json(row, year: int | None = None) -> dict:
    tasks = services.tasks_by_item(row, year) if year else {}
    return {"id": row.id, "title": row.title, "first_year": row.first_year, "last_year": row.last_year,
            "state": row.state.value, "approved_on": _iso(row.approved_on), "order_id": row.order_id,
            "city_roadmap_id": row.city_roadmap_id, "year": year,
            "items": [{"id": it.id, "position": it.position, "title": it.title, "deadline_text": it.deadline_text,
                       "responsible": it.responsible, "responsible_staff_id": it.responsible_staff_id,
                       "result_text": it.result_text, "city_activity_id": it.city_activity_id,
                       "city_activity_number": it.city_activity.number if it.city_activity else None,
                       "tasks": [_task_json(t, it.derived) for t in tasks.get(it.id, [])]} for it in row.items]}


def _item_data(body: dict) -> dict:
    return {k: ("" if body.get(k) is None else str(body.get(k))) for k in
            ("title", "deadline_text", "responsible_staff_id", "responsible_text", "result_text")}


@api.get("/institution-roadmaps")
@allow(READ_INSTITUTION_REPORTING)
def list_roadmaps():
    return jsonify({"items": [roadmap_json(r) for r in services.roadmaps()]})


@api.post("/institution-roadmaps")
@allow(DEVELOP_INSTITUTION_ROADMAP)
def create_roadmap():
    body = base.json_body()
    return jsonify(roadmap_json(services.create_from_city(g.institution, body.get("city_roadmap_id"),
                                                          str(body.get("title") or "")))), 201


@api.get("/institution-roadmaps/<int:inst_roadmap_id>")
@allow(READ_INSTITUTION_REPORTING)
def get_roadmap(inst_roadmap_id: int):
    row = services.roadmap(inst_roadmap_id)
    year = int_arg("year", min(max(date.today().year, row.first_year), row.last_year), low=2000, high=2100)
    return jsonify(roadmap_json(row, year))


@api.post("/institution-roadmaps/<int:inst_roadmap_id>/items")
@allow(DEVELOP_INSTITUTION_ROADMAP)
def add_item(inst_roadmap_id: int):
    row = services.roadmap(inst_roadmap_id)
    it = services.add_item(row, _item_data(base.json_body()))
    return jsonify({"id": it.id, "position": it.position}), 201


@api.patch("/institution-roadmaps/<int:inst_roadmap_id>/items/<int:roadmap_item_id>")
@allow(DEVELOP_INSTITUTION_ROADMAP)
def update_item(inst_roadmap_id: int, roadmap_item_id: int):
    row = services.roadmap(inst_roadmap_id)
    it = services.item(row, roadmap_item_id)
    body = base.json_body()
    current = {"title": it.title, "deadline_text": it.deadline_text, "responsible_staff_id": it.responsible_staff_id or "",
               "responsible_text": it.responsible_text, "result_text": it.result_text}
    services.update_item(row, it, {**current, **{k: v for k, v in _item_data(body).items() if k in body}})
    return jsonify(roadmap_json(row))


@api.delete("/institution-roadmaps/<int:inst_roadmap_id>/items/<int:roadmap_item_id>")
@allow(DEVELOP_INSTITUTION_ROADMAP)
def remove_item(inst_roadmap_id: int, roadmap_item_id: int):
    row = services.roadmap(inst_roadmap_id)
    services.remove_item(row, services.item(row, roadmap_item_id))
    return "", 204


@api.post("/institution-roadmaps/<int:inst_roadmap_id>/approval")
@allow(DEVELOP_INSTITUTION_ROADMAP)
def submit_for_approval(inst_roadmap_id: int):
    row = services.roadmap(inst_roadmap_id)
    body = base.json_body()
    order = services.submit_for_approval(row, g.institution, {k: str(body.get(k) or "") for k in (
        "number", "issued_on", "signer_position", "signer_name")}, current_user.id)
    return jsonify({"order_id": order.id, "state": row.state.value}), 201


@api.post("/institution-roadmaps/<int:inst_roadmap_id>/approval/withdraw")
@allow(DEVELOP_INSTITUTION_ROADMAP)
def withdraw_from_approval(inst_roadmap_id: int):
    row = services.roadmap(inst_roadmap_id)
    services.withdraw_from_approval(row)
    return jsonify(roadmap_json(row))


@api.post("/institution-roadmaps/<int:inst_roadmap_id>/own-tasks/<int:own_task_id>/done")
@allow(SUBMIT_EVIDENCE)
def own_task_done(inst_roadmap_id: int, own_task_id: int):
    row = services.roadmap(inst_roadmap_id)
    task = services.own_task(row, own_task_id)
    body = base.json_body()
    services.complete_own_task(task, {"note": str(body.get("note") or ""), "link": str(body.get("link") or ""),
                                      "done_on": str(body.get("done_on") or "")}, current_user.id)
    return jsonify(_task_json(task, derived=False))


@api.post("/institution-roadmaps/<int:inst_roadmap_id>/own-tasks/<int:own_task_id>/reopen")
@allow(SUBMIT_EVIDENCE)
def own_task_reopen(inst_roadmap_id: int, own_task_id: int):
    row = services.roadmap(inst_roadmap_id)
    task = services.own_task(row, own_task_id)
    services.reopen_own_task(task)
    return jsonify(_task_json(task, derived=False))


@api.post("/institution-roadmaps/<int:inst_roadmap_id>/tasks/<int:task_id>/done")
@allow(SUBMIT_EVIDENCE)
def city_task_done(inst_roadmap_id: int, task_id: int):
    row = services.roadmap(inst_roadmap_id)
    body = request.get_json(silent=True) or {}
    task = services.complete_city_task(row, task_id, {k: str(body.get(k) or "") for k in (
        "evidence_text", "evidence_link", "figures")}, current_user.id, has_files=False)
    return jsonify(_task_json(task, derived=True))


_tag = "institution-roadmap"
_p = "/i/{inst_slug}/institution-roadmaps"
base.OPENAPI_SCHEMAS.update({
    "InstitutionRoadmap": {"type": "object", "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "first_year": {"type": "integer"},
        "last_year": {"type": "integer"}, "state": {"type": "string", "enum": ["draft", "on_approval", "approved"]},
        "approved_on": {"type": ["string", "null"], "format": "date"}, "order_id": {"type": ["integer", "null"]},
        "city_roadmap_id": {"type": ["integer", "null"]}, "year": {"type": ["integer", "null"]},
        "items": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer"}, "position": {"type": "integer"}, "title": {"type": "string"},
            "deadline_text": {"type": "string"}, "responsible": {"type": "string"},
            "responsible_staff_id": {"type": ["integer", "null"]}, "result_text": {"type": "string"},
            "city_activity_id": {"type": ["integer", "null"]}, "city_activity_number": {"type": ["integer", "null"]},
            "tasks": {"type": "array", "items": {"type": "object"}}}}}}},
    "InstitutionRoadmapInput": {"type": "object", "additionalProperties": False, "required": ["city_roadmap_id"],
                                "properties": {"city_roadmap_id": {"type": "integer", "minimum": 1,
                                                                   "maximum": 2**31 - 1},
                                               "title": {"type": "string", "maxLength": 500}}},
    "InstitutionRoadmapItemInput": {"type": "object", "additionalProperties": False, "properties": {
        "title": {"type": "string", "maxLength": 5000}, "deadline_text": {"type": "string", "maxLength": 300},
        "responsible_staff_id": {"type": ["integer", "null"], "minimum": 1, "maximum": 2**31 - 1},
        "responsible_text": {"type": "string", "maxLength": 300}, "result_text": {"type": "string", "maxLength": 500}}},
    "InstitutionRoadmapApprovalInput": {"type": "object", "additionalProperties": False,
                                        "required": ["number", "issued_on"], "properties": {
                                            "number": {"type": "string", "maxLength": 50},
                                            "issued_on": {"type": "string", "format": "date"},
                                            "signer_position": {"type": "string", "maxLength": 300},
                                            "signer_name": {"type": "string", "maxLength": 300}}},
    "OwnTaskDoneInput": {"type": "object", "additionalProperties": False, "required": ["note"], "properties": {
        "note": {"type": "string", "maxLength": 5000}, "link": {"type": "string", "maxLength": 500},
        "done_on": {"type": ["string", "null"], "format": "date"}}},
    "CityTaskEvidenceInput": {"type": "object", "additionalProperties": False, "properties": {
        "evidence_text": {"type": "string", "maxLength": 10000}, "evidence_link": {"type": "string", "maxLength": 500},
        "figures": {"type": "string", "maxLength": 2000}}},
})
base.document(_p, "get", "Дорожные карты организации", response="InstitutionRoadmap", list_response=True, tag=_tag)
base.document(_p, "post", "Разработать дорожную карту на основе дорожной карты УО", body="InstitutionRoadmapInput",
              response="InstitutionRoadmap", status="201", tag=_tag)
base.document(_p + "/{inst_roadmap_id}", "get", "Дорожная карта организации с задачами года",
              params=[{"name": "year", "in": "query", "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}],
              response="InstitutionRoadmap", tag=_tag)
base.document(_p + "/{inst_roadmap_id}/items", "post", "Своё мероприятие организации",
              body="InstitutionRoadmapItemInput", status="201", tag=_tag)
base.document(_p + "/{inst_roadmap_id}/items/{roadmap_item_id}", "patch", "Ответственный, результат (и срок своего)",
              body="InstitutionRoadmapItemInput", response="InstitutionRoadmap", tag=_tag)
base.document(_p + "/{inst_roadmap_id}/items/{roadmap_item_id}", "delete", "Удалить своё мероприятие", status="204",
              tag=_tag)
base.document(_p + "/{inst_roadmap_id}/approval", "post", "Проект приказа об утверждении (издаёт руководитель)",
              body="InstitutionRoadmapApprovalInput", status="201", tag=_tag)
base.document(_p + "/{inst_roadmap_id}/approval/withdraw", "post", "Вернуть в работу (проект приказа удаляется)",
              response="InstitutionRoadmap", tag=_tag)
base.document(_p + "/{inst_roadmap_id}/own-tasks/{own_task_id}/done", "post", "Выполнена задача своего мероприятия",
              body="OwnTaskDoneInput", tag=_tag)
base.document(_p + "/{inst_roadmap_id}/own-tasks/{own_task_id}/reopen", "post", "Вернуть задачу в работу", tag=_tag)
base.document(_p + "/{inst_roadmap_id}/tasks/{task_id}/done", "post",
              "Выполнить мероприятие города: подтверждение задачи УО уходит координатору", body="CityTaskEvidenceInput",
              body_required=False, tag=_tag)


def register_api(app) -> None:
    csrf.exempt(api)
    app.register_blueprint(api)
