"""The roadmap in the JSON API: roadmaps and activities with their due dates for a year, tasks and snapshots —
for the coordinator under /api/v1/m/<city>/…, for an institution under /api/v1/i/<slug>/…"""
from __future__ import annotations

from datetime import date

from flask import jsonify, request

from portal.api import base
from portal.api.serializers import stamp
from portal.errors import Invalid
from portal.extensions import csrf, db
from portal.roadmap import services
from portal.roadmap.deadlines import due_dates
from portal.roadmap.indicators import bounds
from portal.roadmap.models import Activity, RoadmapTask, Snapshot, TaskStatus
from portal.web import int_arg
from tenants.access import READ_CITY_INDICATORS, READ_INSTITUTION_REPORTING, RUN_ROADMAP, allow

city_api = base.api_municipality_blueprint("roadmap_api", __name__)
inst_api = base.api_institution_blueprint("roadmap_inst_api", __name__)


def _iso(d):
    return d.isoformat() if d else None


def _year(default: int) -> int:
    return int_arg("year", default, low=2000, high=2100, message="Год — числом от 2000 до 2100, например 2023.")


def task_json(t: RoadmapTask) -> dict:
    return {"id": t.id, "institution_id": t.institution_id, "activity_id": t.activity_id,
            "activity_number": t.activity.number, "period": t.period, "due_date": _iso(t.due_date),
            "working_due_date": _iso(t.working_due_date), "status": t.status.value,
            "overdue": t.is_overdue(date.today()), "figures": t.figures or {},
            "submitted_at": stamp(t.submitted_at),
            "reviewed_at": stamp(t.reviewed_at), "review_comment": t.review_comment}


def snapshot_json(s: Snapshot) -> dict:
    return {"institution_id": s.institution_id, "period": s.period, "computed_at": stamp(s.computed_at),
            "figures": s.figures}


def _status_filter(stmt):
    status = request.args.get("status")
    if status:
        if status not in TaskStatus._value2member_map_:
            raise Invalid("status", "Статус: " + ", ".join(TaskStatus._value2member_map_))
        stmt = stmt.where(RoadmapTask.status == TaskStatus(status))
    return stmt


@city_api.route("/roadmaps", methods=["GET"])
@allow(RUN_ROADMAP)
def list_roadmaps():
    return jsonify({"items": [{"id": r.id, "title": r.title, "first_year": r.first_year, "last_year": r.last_year,
                               "activities": len(r.activities), "unset_rules": len(services.flagged(r))}
                              for r in services.roadmaps()]})


@city_api.route("/roadmaps/<int:roadmap_id>", methods=["GET"])
@allow(RUN_ROADMAP)
def get_roadmap(roadmap_id: int):
    row = services.roadmap(roadmap_id)
    year = _year(row.first_year)
    return jsonify({"id": row.id, "title": row.title, "first_year": row.first_year, "last_year": row.last_year,
                    "year": year, "sections": [{"title": s.title, "activities": [{
                        "id": a.id, "number": a.number, "title": a.title, "deadline_text": a.deadline_text,
                        "rule": a.rule, "level": a.level.value, "result_text": a.result_text, "result_type": a.result_type,
                        "due_dates": [{"period": d.period, "nominal": _iso(d.nominal), "working": _iso(d.working)}
                                      for d in due_dates(a.parsed_rule, year, row.period)]}
                        for a in s.activities]} for s in row.sections]})


@city_api.route("/roadmaps/<int:roadmap_id>/tasks", methods=["GET"])
@allow(RUN_ROADMAP)
def list_city_tasks(roadmap_id: int):
    row = services.roadmap(roadmap_id)
    stmt = _status_filter(db.select(RoadmapTask).join(Activity).where(Activity.roadmap_id == row.id))
    if request.args.get("year"):
        stmt = stmt.where(RoadmapTask.period.like(f"{_year(0)}%"))
    return jsonify({"items": [task_json(t) for t in db.session.execute(stmt.order_by(RoadmapTask.id)).scalars()]})


@city_api.route("/snapshots", methods=["GET"])
@allow(READ_CITY_INDICATORS)
def list_city_snapshots():
    stmt = db.select(Snapshot).order_by(Snapshot.period, Snapshot.institution_id)
    if request.args.get("period"):
        bounds(request.args["period"])
        stmt = stmt.where(Snapshot.period == request.args["period"])
    return jsonify({"items": [snapshot_json(s) for s in db.session.execute(stmt).scalars()]})


@inst_api.route("/roadmap-tasks", methods=["GET"])
@allow(READ_INSTITUTION_REPORTING)
def list_tasks():
    stmt = _status_filter(db.select(RoadmapTask).order_by(RoadmapTask.due_date, RoadmapTask.id))
    return jsonify({"items": [task_json(t) for t in db.session.execute(stmt).scalars()]})


@inst_api.route("/snapshots", methods=["GET"])
@allow(READ_INSTITUTION_REPORTING)
def list_snapshots():
    rows = db.session.execute(db.select(Snapshot).order_by(Snapshot.period)).scalars()
    return jsonify({"items": [snapshot_json(s) for s in rows]})


_tag = "roadmap"
_moment = {"type": ["string", "null"], "format": "date-time"}
base.OPENAPI_SCHEMAS.update({"Roadmap": {"type": "object"},
                             "RoadmapTask": {"type": "object", "properties": {"submitted_at": _moment,
                                                                              "reviewed_at": _moment}},
                             "Snapshot": {"type": "object", "properties": {"computed_at": _moment}}})
_year_param = [{"name": "year", "in": "query", "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}]
base.document("/m/{muni_slug}/roadmaps", "get", "Дорожные карты муниципалитета", response="Roadmap", tag=_tag)
base.document("/m/{muni_slug}/roadmaps/{roadmap_id}", "get", "Мероприятия и их сроки на год", response="Roadmap",
              params=_year_param, tag=_tag)
base.document("/m/{muni_slug}/roadmaps/{roadmap_id}/tasks", "get", "Задачи учреждений", response="RoadmapTask",
              params=_year_param + [{"name": "status", "in": "query", "schema": {"type": "string", "maxLength": 20}}],
              tag=_tag)
base.document("/m/{muni_slug}/snapshots", "get", "Показатели учреждений",
              params=[{"name": "period", "in": "query", "schema": {"type": "string", "maxLength": 10}}],
              response="Snapshot", tag=_tag)
base.document("/i/{inst_slug}/roadmap-tasks", "get", "Задачи дорожной карты учреждения", response="RoadmapTask", tag=_tag)
base.document("/i/{inst_slug}/snapshots", "get", "Показатели учреждения", response="Snapshot", tag=_tag)


def register_api(app) -> None:
    csrf.exempt(city_api)
    csrf.exempt(inst_api)
    app.register_blueprint(city_api)
    app.register_blueprint(inst_api)
