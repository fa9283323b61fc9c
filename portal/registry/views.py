"""The registry of mentors (coordinator and the regional institute's account, under /m/<city>/registry) and a
mentor's development (training, incentives) on the staff card (/i/<slug>/staff/<id>/development)."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_login import current_user

from portal.audit.services import record
from portal.errors import Invalid, NotFound
from portal.extensions import db
from portal.mentoring.orders import orders as all_orders
from portal.navigation import Group, nav_item
from portal.registry import api, development, registry
from portal.registry.models import ExportStatus
from portal.staff.models import INCENTIVE_KINDS, INCENTIVE_LEVELS, TRAINING_KINDS
from portal.staff.services import get_staff, incentives_of
from portal.storage.store import send
from portal.uploads.services import save_upload, send_attachment
from portal.web import form_dict, render
from tenants.access import BUILD_REGISTRY, EDIT_STAFF, READ_REGISTRY, READ_STAFF, allow
from tenants.routing import institution_blueprint, municipality_blueprint

city_bp = municipality_blueprint("registry", __name__, "/registry")
dev_bp = institution_blueprint("development", __name__, "/staff/<int:staff_id>/development")


@city_bp.route("")
@allow(READ_REGISTRY)
def index():
    return render("registry/index.html", exports=registry.exports())


@city_bp.route("", methods=["POST"])
@allow(BUILD_REGISTRY)
def build():
    registry.request_export(g.municipality.id, current_user.id)
    db.session.commit()   # the export and its job together: a dead broker delays it, never loses it
    flash("Реестр формируется; страница покажет ход работы.", "success")
    return redirect(url_for("registry.index"))


@city_bp.route("/<int:export_id>/progress")
@allow(READ_REGISTRY)
def progress(export_id: int):
    return render("registry/_export.html", e=registry.export(export_id))


@city_bp.route("/<int:export_id>/retry", methods=["POST"])
@allow(BUILD_REGISTRY)
def retry(export_id: int):
    row = registry.retry_export(registry.export(export_id))
    if request.headers.get("HX-Request"):
        return render("registry/_export.html", e=row)
    flash("Выгрузка поставлена в очередь повторно.", "success")
    return redirect(url_for("registry.index"))


@city_bp.route("/<int:export_id>/registry.<any(xlsx, csv):kind>")
@allow(READ_REGISTRY)
def download(export_id: int, kind: str):
    row = registry.export(export_id)
    if row.state is not ExportStatus.DONE:
        raise NotFound("Выгрузка ещё не готова.")
    record("download", "registry_export", row.id, municipality_id=row.municipality_id, actor_id=current_user.id,
           detail=f"реестр наставников, {kind.upper()}, строк: {row.row_count}")
    db.session.commit()
    mime = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}[kind]
    name = f"reestr-nastavnikov-{g.municipality.slug}-{row.created_at:%Y-%m-%d}.{kind}"
    return send(registry.file_key(row, kind), mime, name)


# --- development on the staff card ---------------------------------------------------------------------------------

def _dev_ctx(staff, **extra) -> dict:
    return {"staff": staff, "trainings": development.trainings_of(staff.id), "incentives": incentives_of(staff.id),
            "training_kinds": list(TRAINING_KINDS.items()), "incentive_kinds": list(INCENTIVE_KINDS.items()),
            "levels": list(INCENTIVE_LEVELS.items()), "orders": [(o.id, f"№ {o.number} от {o.issued_on:%d.%m.%Y}")
                                                                   for o in all_orders()],
            "errors": {}, "data": {}, "which": "", **extra}


@dev_bp.route("")
@allow(READ_STAFF)
def page(staff_id: int):
    return render("registry/development.html", **_dev_ctx(get_staff(staff_id)))


@dev_bp.route("/training", methods=["POST"])
@allow(EDIT_STAFF)
def add_training(staff_id: int):
    staff = get_staff(staff_id)
    data = form_dict("kind", "title", "organizer", "hours", "start_date", "end_date", "mentoring_related")
    try:
        development.clean_training(data)
        file = request.files.get("certificate")
        certificate = save_upload(file, "training", staff.id, field="certificate",
                                  uploaded_by_id=current_user.id).id if file and file.filename else None
        development.add_training(staff.id, data, certificate)
    except Invalid as exc:
        db.session.rollback()
        return render("registry/development.html", status=422, **_dev_ctx(staff, errors=exc.fields, data=data,
                                                                          which="training"))
    flash("Обучение добавлено.", "success")
    return redirect(url_for("development.page", staff_id=staff.id))


@dev_bp.route("/incentive", methods=["POST"])
@allow(EDIT_STAFF)
def add_incentive(staff_id: int):
    staff = get_staff(staff_id)
    data = form_dict("kind", "level", "grounds", "awarded_on", "order_id")
    try:
        development.add_incentive(staff.id, data)
    except Invalid as exc:
        return render("registry/development.html", status=422, **_dev_ctx(staff, errors=exc.fields, data=data,
                                                                          which="incentive"))
    flash("Поощрение добавлено.", "success")
    return redirect(url_for("development.page", staff_id=staff.id))


@dev_bp.route("/training/<int:training_id>/certificate")
@allow(READ_STAFF)
def certificate(staff_id: int, training_id: int):
    return send_attachment(development.certificate(get_staff(staff_id), training_id))


def register(app) -> None:
    app.register_blueprint(city_bp)
    app.register_blueprint(dev_bp)
    api.register_api(app)
    nav_item("municipality", "Реестр наставников", "registry.index", order=40, group=Group.PEOPLE)
