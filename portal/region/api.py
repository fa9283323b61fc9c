"""The region in the JSON API: the merged registry (read; a build started by the platform admin answers 202 with a
job to poll, through the outbox) and the target indicators rolled up from the cities."""
from __future__ import annotations

from datetime import date

from flask import g, jsonify, request, url_for
from flask_login import current_user

from portal.api import base
from portal.api.serializers import stamp
from portal.errors import NotFound
from portal.extensions import csrf, db
from portal.region import indicators, registry
from portal.registry.models import ExportStatus
from portal.roadmap.indicators import FIGURES, bounds, previous_quarter
from tenants.access import BUILD_REGION_REGISTRY, READ_REGION, allow

region_api = base.api_region_blueprint("region_api", __name__)


def export_state(row) -> dict:
    """What a poller needs: the export's state, its job's, and where to look again."""
    return {"export_id": row.id, "job_id": row.job_id, "status": row.state.value,
            "finished": row.state in (ExportStatus.DONE, ExportStatus.FAILED), "row_count": row.row_count,
            "cities": row.cities, "created_at": stamp(row.created_at),
            "poll": url_for("region_api.export_status", export_id=row.id)}


@region_api.route("/registry", methods=["GET"])
@allow(READ_REGION)
def latest():
    done = [e for e in registry.exports() if e.status is ExportStatus.DONE]
    if not done:
        raise NotFound("Реестр региона ещё не формировался.")
    row = done[0]
    return jsonify({"export_id": row.id, "created_at": stamp(row.created_at), "row_count": row.row_count,
                    "cities": row.cities, "sha256_csv": row.sha256_csv, "columns": registry.COLUMNS,
                    "items": registry.read_csv(row)})


@region_api.route("/registry", methods=["POST"])
@allow(BUILD_REGION_REGISTRY)
def start_build():
    row = registry.request_export(g.region.id, current_user.id)
    db.session.commit()   # the export and its job in one transaction; the relay sends it if the broker is down
    db.session.refresh(row)
    return jsonify(export_state(row)), 202


@region_api.route("/registry/builds/<int:export_id>", methods=["GET"])
@allow(READ_REGION)
def export_status(export_id: int):
    return jsonify(export_state(registry.region_export(export_id)))


@region_api.route("/indicators", methods=["GET"])
@allow(READ_REGION)
def indicators_rollup():
    period = request.args.get("period") or previous_quarter(date.today())
    bounds(period)
    data = indicators.rollup(period)
    return jsonify({"period": period, "figures": FIGURES, "institutions": data["institutions"],
                    "reported": data["reported"], "total": data["total"],
                    "cities": [{"municipality": city.slug, "name": city.name, "institutions": n, "reported": r,
                                "figures": totals} for city, totals, n, r in data["cities"]]})


base.OPENAPI_SCHEMAS["RegionRegistryBuild"] = {"type": "object", "properties": {
    "export_id": {"type": "integer"}, "job_id": {"type": ["integer", "null"]},
    "status": {"type": "string", "enum": [s.value for s in ExportStatus]}, "finished": {"type": "boolean"},
    "row_count": {"type": "integer"}, "cities": {"type": "integer"},
    "created_at": {"type": "string", "format": "date-time"}, "poll": {"type": "string"}}}
base.OPENAPI_SCHEMAS["RegionRegistry"] = {"type": "object", "properties": {
    "export_id": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
    "row_count": {"type": "integer"}, "cities": {"type": "integer"}, "sha256_csv": {"type": "string"},
    "columns": {"type": "array", "items": {"type": "string"}},
    "items": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": ["string", "null"]}}}}}
base.document("/r/{region_slug}/registry", "get", "Единый реестр региона (последняя готовая выгрузка)",
              response="RegionRegistry", tag="region")
base.document("/r/{region_slug}/registry", "post",
              "Сформировать единый реестр региона: 202 и задача, за которой следить (poll)",
              response="RegionRegistryBuild", tag="region", status="202")
base.document("/r/{region_slug}/registry/builds/{export_id}", "get", "Состояние формирования реестра региона",
              response="RegionRegistryBuild", tag="region")
base.document("/r/{region_slug}/indicators", "get", "Целевые показатели региона по городам за период",
              params=[{"name": "period", "in": "query", "required": False,
                       "schema": {"type": "string", "pattern": r"^20\d\d-(Q[1-4]|20\d\d)$"}}], tag="region")


def register_api(app) -> None:
    csrf.exempt(region_api)
    app.register_blueprint(region_api)
