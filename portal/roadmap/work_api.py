"""The roadmap's work in the JSON API, as on the pages: generating a year's (or the period's) tasks, the
department's own tasks, the dates of separate plans, the evidence of a task and the entries gathered all year."""
from __future__ import annotations

from datetime import date

from flask import jsonify, request
from flask_login import current_user

from portal.api import base
from portal.errors import Invalid
from portal.extensions import csrf
from portal.roadmap import city_tasks, evidence, generation, plan_dates, services
from portal.web import int_arg
from tenants.access import READ_INSTITUTION_REPORTING, RUN_ROADMAP, SUBMIT_EVIDENCE, allow

city_api = base.api_municipality_blueprint("roadmap_work_api", __name__)
inst_api = base.api_institution_blueprint("roadmap_work_inst_api", __name__)


def _iso(d):
    return d.isoformat() if d else None


def city_task_json(t) -> dict:
    return {"id": t.id, "activity_id": t.activity_id, "activity_number": t.activity.number, "period": t.period,
            "due_date": _iso(t.due_date), "working_due_date": _iso(t.working_due_date), "status": t.status.value,
            "overdue": t.is_overdue(date.today()), "note": t.note,
            "done_at": t.done_at.isoformat() if t.done_at else None}


def evidence_json(e) -> dict:
    return {"id": e.id, "source": e.source, "from_portal": e.from_portal, "date": _iso(e.day), "until": _iso(e.until),
            "title": e.title, "link": e.link, "note": e.note}


def plan_date_json(d) -> dict:
    return {"id": d.id, "activity_id": d.activity_id, "date": _iso(d.day), "title": d.title,
            "source": getattr(d, "source", "")}


def _entry(body: dict) -> dict:
    return {"on": body.get("date") or "", "title": body.get("title") or "", "link": body.get("link") or "",
            "note": body.get("note") or ""}


# --- the coordinator --------------------------------------------------------------------------------------------
# City operations on a row name it in the URL: the row is looked up before the body is read, so another city's
# id is a 404 whatever the body (their bodies are documented as optional and read by the view).

@city_api.post("/roadmaps/<int:roadmap_id>/tasks")
@allow(RUN_ROADMAP)
def generate_tasks(roadmap_id: int):
    row = services.roadmap(roadmap_id)
    body = request.get_json(silent=True) or {}
    year = body.get("year")
    if year is None:
        created = generation.generate_period(row)
    elif isinstance(year, int):
        created = services.generate_tasks(row, year)
    else:
        raise Invalid("year", "Год — целое число, например 2023; без года — весь период.")
    return jsonify({"created": created})


@city_api.get("/roadmaps/<int:roadmap_id>/city-tasks")
@allow(RUN_ROADMAP)
def list_city_tasks(roadmap_id: int):
    row = services.roadmap(roadmap_id)
    year = int_arg("year", date.today().year, low=2000, high=2100, message="Год — числом от 2000 до 2100.")
    groups = city_tasks.of_year(row, year)
    return jsonify({"items": [city_task_json(t) for t in groups["overdue"] + groups["open"] + groups["done"]]})


@city_api.get("/city-tasks/<int:city_task_id>")
@allow(RUN_ROADMAP)
def get_city_task(city_task_id: int):
    task = city_tasks.city_task(city_task_id)
    return jsonify({**city_task_json(task), "evidence": [evidence_json(e) for e in evidence.of_city_task(task)]})


@city_api.post("/city-tasks/<int:city_task_id>/done")
@allow(RUN_ROADMAP)
def city_task_done(city_task_id: int):
    task = city_tasks.city_task(city_task_id)
    city_tasks.mark_done(task, base.json_body().get("note") or "", current_user.id)
    return jsonify(city_task_json(task))


@city_api.post("/city-tasks/<int:city_task_id>/reopen")
@allow(RUN_ROADMAP)
def city_task_reopen(city_task_id: int):
    task = city_tasks.city_task(city_task_id)
    city_tasks.reopen(task)
    return jsonify(city_task_json(task))


@city_api.post("/city-tasks/<int:city_task_id>/entries")
@allow(RUN_ROADMAP)
def city_task_entry(city_task_id: int):
    task = city_tasks.city_task(city_task_id)
    return jsonify(evidence_json(evidence.add_city_entry(task, _entry(base.json_body()), current_user.id))), 201


@city_api.get("/roadmaps/<int:roadmap_id>/activities/<int:activity_id>/dates")
@allow(RUN_ROADMAP)
def list_city_dates(roadmap_id: int, activity_id: int):
    a = services.activity(services.roadmap(roadmap_id), activity_id)
    return jsonify({"items": [plan_date_json(d) for d in plan_dates.city_dates(a)]})


@city_api.post("/roadmaps/<int:roadmap_id>/activities/<int:activity_id>/dates")
@allow(RUN_ROADMAP)
def add_city_date(roadmap_id: int, activity_id: int):
    a = services.activity(services.roadmap(roadmap_id), activity_id)
    body = base.json_body()
    row = plan_dates.add_city_date(a, {"on": body.get("date") or "", "title": body.get("title") or ""})
    return jsonify(plan_date_json(row)), 201


@city_api.delete("/roadmaps/<int:roadmap_id>/activities/<int:activity_id>/dates/<int:city_date_id>")
@allow(RUN_ROADMAP)
def remove_city_date(roadmap_id: int, activity_id: int, city_date_id: int):
    a = services.activity(services.roadmap(roadmap_id), activity_id)
    plan_dates.remove_city_date(a, city_date_id)
    return "", 204


# --- the institution ------------------------------------------------------------------------------------------

@inst_api.get("/roadmap-tasks/<int:task_id>/evidence")
@allow(READ_INSTITUTION_REPORTING)
def list_evidence(task_id: int):
    return jsonify({"items": [evidence_json(e) for e in evidence.of_task(services.task(task_id))]})


@inst_api.post("/roadmap-tasks/<int:task_id>/entries")
@allow(SUBMIT_EVIDENCE)
def add_entry(task_id: int):
    task = services.task(task_id)
    return jsonify(evidence_json(evidence.add_entry(task, _entry(base.json_body()), current_user.id))), 201


@inst_api.get("/roadmap-tasks/<int:task_id>/plan-dates")
@allow(READ_INSTITUTION_REPORTING)
def list_own_dates(task_id: int):
    a = services.task(task_id).activity
    return jsonify({"city": [plan_date_json(d) for d in plan_dates.city_dates(a)],
                    "items": [plan_date_json(d) for d in plan_dates.institution_dates(a)]})


@inst_api.post("/roadmap-tasks/<int:task_id>/plan-dates")
@allow(SUBMIT_EVIDENCE)
def add_own_date(task_id: int):
    task = services.task(task_id)
    body = base.json_body()
    row = plan_dates.add_institution_date(task.activity, task.institution_id,
                                          {"on": body.get("date") or "", "title": body.get("title") or ""})
    return jsonify(plan_date_json(row)), 201


@inst_api.delete("/roadmap-tasks/<int:task_id>/plan-dates/<int:own_date_id>")
@allow(SUBMIT_EVIDENCE)
def remove_own_date(task_id: int, own_date_id: int):
    task = services.task(task_id)
    plan_dates.remove_institution_date(task.activity, own_date_id)
    return "", 204


# --- the OpenAPI document -------------------------------------------------------------------------------------

_tag = "roadmap"
_day = {"type": "string", "format": "date"}
_text = {"type": "string", "maxLength": 500}
base.OPENAPI_SCHEMAS.update({
    "CityTask": {"type": "object", "properties": {
        "id": {"type": "integer"}, "activity_id": {"type": "integer"}, "activity_number": {"type": "integer"},
        "period": {"type": "string"}, "due_date": {"type": ["string", "null"], "format": "date"},
        "working_due_date": {"type": ["string", "null"], "format": "date"},
        "status": {"type": "string", "enum": ["open", "done"]}, "overdue": {"type": "boolean"},
        "note": {"type": "string"}, "done_at": {"type": ["string", "null"], "format": "date-time"},
        "evidence": {"type": "array", "items": {"$ref": "#/components/schemas/TaskEvidence"}}}},
    "TaskEvidence": {"type": "object", "properties": {
        "id": {"type": "integer"}, "source": {"type": "string", "enum": ["entry", *evidence.SOURCES]},
        "from_portal": {"type": "boolean"}, "date": _day, "until": {"type": ["string", "null"], "format": "date"},
        "title": {"type": "string"}, "link": {"type": "string"}, "note": {"type": "string"}}},
    "PlanDate": {"type": "object", "properties": {
        "id": {"type": "integer"}, "activity_id": {"type": "integer"}, "date": _day, "title": {"type": "string"},
        "source": {"type": "string"}}},
    "GenerateTasksInput": {"type": "object", "additionalProperties": False, "properties": {
        "year": {"type": ["integer", "null"], "minimum": 2000, "maximum": 2100}}},
    "CityTaskDoneInput": {"type": "object", "additionalProperties": False, "required": ["note"], "properties": {
        "note": {"type": "string", "maxLength": 5000}}},
    "EvidenceEntryInput": {"type": "object", "additionalProperties": False, "required": ["date", "title"],
                           "properties": {"date": _day, "title": _text, "link": _text,
                                          "note": {"type": "string", "maxLength": 5000}}},
    "PlanDateInput": {"type": "object", "additionalProperties": False, "required": ["date", "title"],
                      "properties": {"date": _day, "title": {"type": "string", "maxLength": 300}}},
})
base.OPENAPI_SCHEMAS["GenerateResult"] = {"type": "object", "properties": {"created": {"type": "integer"}}}
_year = [{"name": "year", "in": "query", "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}]
base.document("/m/{muni_slug}/roadmaps/{roadmap_id}/tasks", "post",
              "Создать задачи на год (или на весь период, без года): ОО, УО, по отдельным планам, по программам",
              body="GenerateTasksInput", body_required=False, response="GenerateResult", tag=_tag)
base.document("/m/{muni_slug}/roadmaps/{roadmap_id}/city-tasks", "get", "Задачи управления образования на год",
              params=_year, response="CityTask", list_response=True, tag=_tag)
base.document("/m/{muni_slug}/city-tasks/{city_task_id}", "get", "Задача УО с подтверждениями", response="CityTask",
              tag=_tag)
base.document("/m/{muni_slug}/city-tasks/{city_task_id}/done", "post", "Отметить задачу УО выполненной",
              body="CityTaskDoneInput", body_required=False, response="CityTask", tag=_tag)
base.document("/m/{muni_slug}/city-tasks/{city_task_id}/reopen", "post", "Вернуть задачу УО в работу",
              response="CityTask", tag=_tag)
base.document("/m/{muni_slug}/city-tasks/{city_task_id}/entries", "post", "Запись о выполнении задачи УО",
              body="EvidenceEntryInput", body_required=False, response="TaskEvidence", status="201", tag=_tag)
base.document("/m/{muni_slug}/roadmaps/{roadmap_id}/activities/{activity_id}/dates", "get",
              "Даты отдельного плана мероприятия (УО)", response="PlanDate", list_response=True, tag=_tag)
base.document("/m/{muni_slug}/roadmaps/{roadmap_id}/activities/{activity_id}/dates", "post",
              "Добавить дату в отдельный план мероприятия (задачи всех организаций)", body="PlanDateInput",
              body_required=False, response="PlanDate", status="201", tag=_tag)
base.document("/m/{muni_slug}/roadmaps/{roadmap_id}/activities/{activity_id}/dates/{city_date_id}", "delete",
              "Снять дату с отдельного плана", status="204", tag=_tag)
base.document("/i/{inst_slug}/roadmap-tasks/{task_id}/evidence", "get",
              "Подтверждения задачи: документы портала и записи", response="TaskEvidence", list_response=True, tag=_tag)
base.document("/i/{inst_slug}/roadmap-tasks/{task_id}/entries", "post", "Запись о выполнении (в течение года)",
              body="EvidenceEntryInput", response="TaskEvidence", status="201", tag=_tag)
base.document("/i/{inst_slug}/roadmap-tasks/{task_id}/plan-dates", "get",
              "Даты отдельного плана мероприятия задачи: УО и организации", response="PlanDate", list_response=True,
              tag=_tag)
base.document("/i/{inst_slug}/roadmap-tasks/{task_id}/plan-dates", "post", "Добавить дату в план организации",
              body="PlanDateInput", response="PlanDate", status="201", tag=_tag)
base.document("/i/{inst_slug}/roadmap-tasks/{task_id}/plan-dates/{own_date_id}", "delete",
              "Снять дату с плана организации", status="204", tag=_tag)


def register_api(app) -> None:
    csrf.exempt(city_api)
    csrf.exempt(inst_api)
    app.register_blueprint(city_api)
    app.register_blueprint(inst_api)
