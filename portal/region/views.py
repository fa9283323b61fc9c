"""The region's pages (/r/<region>/…), for the regional institute's account (reads only) and the platform admin:
the merged registry of mentors, tutors and experts, and the target indicators rolled up from the cities."""
from __future__ import annotations

from datetime import date

from flask import Response, flash, g, redirect, request, url_for
from flask_login import current_user

from portal.audit.services import record
from portal.documents.xlsx import XLSX_MIME, to_bytes
from portal.errors import NotFound
from portal.extensions import db
from portal.navigation import Group, nav_item
from portal.region import api, indicators, registry
from portal.registry.models import ExportStatus
from portal.roadmap import reports
from portal.periods import current_quarter
from portal.roadmap.indicator_views import period_options
from portal.roadmap.indicators import FIGURES, bounds
from portal.storage.store import send
from portal.web import render
from tenants.access import BUILD_REGION_REGISTRY, READ_REGION, allow
from tenants.queries import municipalities_of_region
from tenants.routing import region_blueprint

bp = region_blueprint("region", __name__)


@bp.route("/")
@allow(READ_REGION)
def home():
    return redirect(url_for("region.registry_page"))


@bp.route("/registry")
@allow(READ_REGION)
def registry_page():
    return render("region/registry.html", exports=registry.exports(), cities=municipalities_of_region(g.region.id))


@bp.route("/registry/build", methods=["POST"])
@allow(BUILD_REGION_REGISTRY)
def build():
    registry.request_export(g.region.id, current_user.id)
    db.session.commit()   # the export and its job together (the outbox)
    flash("Реестр региона формируется; страница покажет ход работы.", "success")
    return redirect(url_for("region.registry_page"))


@bp.route("/registry/<int:export_id>/progress")
@allow(READ_REGION)
def progress(export_id: int):
    return render("region/_export.html", e=registry.region_export(export_id))


@bp.route("/registry/<int:export_id>/registry.<any(xlsx, csv):kind>")
@allow(READ_REGION)
def download(export_id: int, kind: str):
    row = registry.region_export(export_id)
    if row.state is not ExportStatus.DONE:
        raise NotFound("Выгрузка ещё не готова.")
    record("download", "region_registry_export", row.id, actor_id=current_user.id,
           detail=f"реестр региона {g.region.slug}, {kind.upper()}, строк: {row.row_count}")
    db.session.commit()
    mime = {"xlsx": XLSX_MIME, "csv": "text/csv"}[kind]
    return send(registry.file_key(row, kind), mime, f"reestr-{g.region.slug}-{row.created_at:%Y-%m-%d}.{kind}")


def _period() -> str:
    period = request.args.get("period") or current_quarter(date.today())   # the quarter in progress, as the city's
    bounds(period)
    return period


@bp.route("/indicators")
@allow(READ_REGION)
def indicators_page():
    period = _period()

    return render("region/indicators.html", period=period, figures=FIGURES, options=period_options(),
                  **indicators.rollup(period))


@bp.route("/indicators.xlsx")
@allow(READ_REGION)
def indicators_xlsx():
    period = _period()
    data = indicators.rollup(period)
    rows = [(city.name, totals) for city, totals, _n, _r in data["cities"] if totals]
    wb = reports.report_xlsx(period, rows, data["total"], first="Город", total_label=f"Итого: {g.region.name}")
    return Response(to_bytes(wb), mimetype=XLSX_MIME, headers={
        "Content-Disposition": f"attachment; filename=indicators-{g.region.slug}-{period}.xlsx"})


def register(app) -> None:
    app.register_blueprint(bp)
    api.register_api(app)
    nav_item("region", "Реестр региона", "region.registry_page", order=10, group=Group.REGION)
    nav_item("region", "Целевые показатели", "region.indicators_page", order=20, group=Group.REGION)
