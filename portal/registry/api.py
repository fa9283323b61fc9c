"""The registry and training records in the JSON API."""
from __future__ import annotations

from flask import g, jsonify, url_for
from flask_login import current_user

from portal.api import base
from portal.api.serializers import stamp
from portal.errors import NotFound
from portal.extensions import csrf, db
from portal.registry import development, registry
from portal.registry.models import ExportStatus
from portal.staff.services import get_staff, incentives_of
from tenants.access import BUILD_REGISTRY, READ_REGISTRY, READ_STAFF, allow

city_api = base.api_municipality_blueprint("registry_api", __name__)
inst_api = base.api_institution_blueprint("development_api", __name__)


@city_api.route("/registry", methods=["GET"])
@allow(READ_REGISTRY)
def latest():
    done = [e for e in registry.exports() if e.status is ExportStatus.DONE]
    if not done:
        raise NotFound("Реестр ещё не формировался.")
    row = done[0]
    return jsonify({"export_id": row.id, "created_at": stamp(row.created_at), "row_count": row.row_count,
                    "sha256_csv": row.sha256_csv, "columns": registry.COLUMNS, "items": registry.read_csv(row)})


def build_state(row) -> dict:
    """What a poller needs: the export's state, its outbox job, and where to look again."""
    return {"export_id": row.id, "job_id": row.job_id, "status": row.state.value,
            "finished": row.state in (ExportStatus.DONE, ExportStatus.FAILED), "row_count": row.row_count,
            "created_at": stamp(row.created_at), "poll": url_for("registry_api.build_status", export_id=row.id)}


@city_api.route("/registry", methods=["POST"])
@allow(BUILD_REGISTRY)
def start_build():
    row = registry.request_export(g.municipality.id, current_user.id)
    db.session.commit()   # the export and its job in one transaction (the outbox)
    db.session.refresh(row)
    return jsonify(build_state(row)), 202


@city_api.route("/registry/builds/<int:export_id>", methods=["GET"])
@allow(READ_REGISTRY)
def build_status(export_id: int):
    return jsonify(build_state(registry.export(export_id)))


@inst_api.route("/staff/<int:staff_id>/training", methods=["GET"])
@allow(READ_STAFF)
def training(staff_id: int):
    staff = get_staff(staff_id)
    return jsonify({"items": [{"id": t.id, "kind": t.kind, "title": t.title, "organizer": t.organizer, "hours": t.hours,
                               "start_date": t.start_date.isoformat(), "end_date": t.end_date.isoformat(),
                               "mentoring_related": t.mentoring_related} for t in development.trainings_of(staff.id)],
                    "incentives": [{"id": i.id, "kind": i.kind, "level": i.level, "grounds": i.grounds,
                                    "awarded_on": i.awarded_on.isoformat()} for i in incentives_of(staff.id)]})


base.OPENAPI_SCHEMAS["RegistryExport"] = {"type": "object", "properties": {
    "export_id": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
    "row_count": {"type": "integer"}, "sha256_csv": {"type": "string"},
    "columns": {"type": "array", "items": {"type": "string"}},
    "items": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": ["string", "null"]}}}}}
base.document("/m/{muni_slug}/registry", "get", "Реестр наставников (последняя готовая выгрузка)",
              response="RegistryExport", tag="registry")
base.OPENAPI_SCHEMAS["RegistryBuild"] = {"type": "object", "properties": {
    "export_id": {"type": "integer"}, "job_id": {"type": ["integer", "null"]},
    "status": {"type": "string", "enum": [s.value for s in ExportStatus]}, "finished": {"type": "boolean"},
    "row_count": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
    "poll": {"type": "string"}}}
base.document("/m/{muni_slug}/registry", "post", "Сформировать реестр наставников города: 202 и задача для опроса",
              response="RegistryBuild", tag="registry", status="202")
base.document("/m/{muni_slug}/registry/builds/{export_id}", "get", "Состояние формирования реестра города",
              response="RegistryBuild", tag="registry")
base.document("/i/{inst_slug}/staff/{staff_id}/training", "get", "Обучение и поощрения наставника", tag="registry")


def register_api(app) -> None:
    csrf.exempt(city_api)
    csrf.exempt(inst_api)
    app.register_blueprint(city_api)
    app.register_blueprint(inst_api)
