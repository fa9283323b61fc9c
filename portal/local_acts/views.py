"""Pages of the register of local acts: the register, an act with its редакции, drafting and approval."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_login import current_user

from portal.documents.responses import docx_response
from portal.exceptions import Invalid, NotFound
from portal.extensions import db
from portal.local_acts import services
from portal.local_acts.api import register_api
from portal.local_acts.docx import render_version
from portal.local_acts.models import ActKind
from portal.navigation import Group, nav_item
from portal.uploads.services import send_attachment
from portal.web import form_dict, render
from tenants.access import KEEP_LOCAL_ACTS, PUBLIC, READ_LOCAL_ACTS, allow, can
from tenants.context import public_scope
from tenants.queries import institution_by_slug, municipality_by_slug
from tenants.routing import institution_blueprint

bp = institution_blueprint("local_acts", __name__, "/acts")


def _register_ctx(**extra) -> dict:
    rows = services.acts()
    return {"acts": rows if can(KEEP_LOCAL_ACTS) else [a for a in rows if a.current is not None],
            "kinds": [(k.value, k.label) for k in ActKind], "has_regulation": services.regulation() is not None,
            "errors": {}, "data": {}, **extra}


@bp.get("")
@allow(READ_LOCAL_ACTS)
def index():
    return render("local_acts/index.html", **_register_ctx())


@bp.post("")
@allow(KEEP_LOCAL_ACTS)
def create():
    data = {**form_dict("kind", "title", "text", "note"), "public": request.form.get("public") == "on"}
    try:
        row = services.create_act(data, current_user.id, request.files.get("file"))
    except Invalid as exc:
        db.session.rollback()
        return render("local_acts/index.html", status=422, **_register_ctx(errors=exc.fields, data=data))
    flash("Акт внесён в реестр как проект. Утвердите его приказом.", "success")
    return redirect(url_for("local_acts.act_page", act_id=row.id))


@bp.post("/regulation")
@allow(KEEP_LOCAL_ACTS)
def start_regulation():
    try:
        row = services.start_regulation(g.institution, current_user.id)
    except Invalid as exc:
        flash(exc.message, "danger")
        return redirect(url_for("local_acts.index"))
    flash("Положение создано по структуре образца (разделы 1–9). Отредактируйте его и утвердите приказом.", "success")
    return redirect(url_for("local_acts.act_page", act_id=row.id))


def _visible_version(act_row, version_id):
    row = services.version(act_row, version_id)
    if row.is_draft and not can(KEEP_LOCAL_ACTS):
        raise NotFound("Редакция не найдена.")
    return row


def _act_ctx(act_row, **extra) -> dict:
    versions = act_row.versions if can(KEEP_LOCAL_ACTS) else [v for v in act_row.versions if not v.is_draft]
    if not versions:
        raise NotFound("Локальный акт не найден.")
    shown = extra.pop("shown", None) or act_row.draft or act_row.current
    if shown is None or (shown.is_draft and not can(KEEP_LOCAL_ACTS)):
        shown = act_row.current
    return {"act": act_row, "versions": versions, "shown": shown, "paragraphs": services.paragraphs(shown.text),
            "errors": {}, "data": {}, **extra}


@bp.get("/<int:act_id>")
@allow(READ_LOCAL_ACTS)
def act_page(act_id: int):
    return render("local_acts/act.html", **_act_ctx(services.act(act_id)))


@bp.get("/<int:act_id>/versions/<int:version_id>")
@allow(READ_LOCAL_ACTS)
def version_page(act_id: int, version_id: int):
    act_row = services.act(act_id)
    return render("local_acts/act.html", **_act_ctx(act_row, shown=_visible_version(act_row, version_id)))


@bp.get("/<int:act_id>/versions/<int:version_id>/act.docx")
@allow(READ_LOCAL_ACTS)
def version_docx(act_id: int, version_id: int):
    row = _visible_version(services.act(act_id), version_id)
    return docx_response(render_version(row, g.institution), f"act-{row.act_id}-{row.number}.docx")


@bp.get("/<int:act_id>/versions/<int:version_id>/file")
@allow(READ_LOCAL_ACTS)
def version_file(act_id: int, version_id: int):
    return send_attachment(services.version_file(_visible_version(services.act(act_id), version_id)))


@bp.post("/<int:act_id>/versions")
@allow(KEEP_LOCAL_ACTS)
def new_version(act_id: int):
    act_row = services.act(act_id)
    try:
        services.new_version(act_row, current_user.id, request.form.get("note", ""))
    except Invalid as exc:
        flash(exc.message, "danger")
    return redirect(url_for("local_acts.act_page", act_id=act_row.id))


@bp.post("/<int:act_id>/versions/<int:version_id>")
@allow(KEEP_LOCAL_ACTS)
def save_draft(act_id: int, version_id: int):
    act_row = services.act(act_id)
    row = services.version(act_row, version_id)
    data = {**form_dict("title", "text", "note"), "public": request.form.get("public") == "on"}
    try:
        services.save_draft(row, data)
    except Invalid as exc:
        return render("local_acts/act.html", status=422, **_act_ctx(act_row, shown=row, errors=exc.fields, data=data))
    flash("Редакция сохранена.", "success")
    return redirect(url_for("local_acts.version_page", act_id=act_row.id, version_id=row.id))


@bp.post("/<int:act_id>/versions/<int:version_id>/file")
@allow(KEEP_LOCAL_ACTS)
def attach_file(act_id: int, version_id: int):
    act_row = services.act(act_id)
    row = services.version(act_row, version_id)
    try:
        services.attach_file(row, request.files.get("file"), current_user.id)
    except Invalid as exc:
        db.session.rollback()
        return render("local_acts/act.html", status=422, **_act_ctx(act_row, shown=row, errors=exc.fields))
    flash("Файл приложен к редакции.", "success")
    return redirect(url_for("local_acts.version_page", act_id=act_row.id, version_id=row.id))


@bp.post("/<int:act_id>/versions/<int:version_id>/approval")
@allow(KEEP_LOCAL_ACTS)
def record_approval(act_id: int, version_id: int):
    act_row = services.act(act_id)
    row = services.version(act_row, version_id)
    data = form_dict("order_number", "order_date")
    try:
        services.record_approval(row, data)
    except Invalid as exc:
        return render("local_acts/act.html", status=422, **_act_ctx(act_row, shown=row, errors=exc.fields, data=data))
    flash(f"Редакция № {row.number} отмечена утверждённой {row.approving_order_ref}.", "success")
    return redirect(url_for("local_acts.version_page", act_id=act_row.id, version_id=row.id))


def register(app) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(public_bp)
    register_api(app)
    nav_item("institution", "Локальные акты", "local_acts.index", order=45, group=Group.DOCUMENTS)


# --- the public section: acts in force on the institution's page (seed §8.1) --------------------------------------

public_bp = Blueprint("public_acts", __name__, url_prefix="/public")


@public_bp.get("/<city>/<place>/acts/<int:version_id>")
@allow(PUBLIC)
def public_version(city: str, place: str, version_id: int):
    muni = municipality_by_slug(city)
    with public_scope(muni.id):
        inst = institution_by_slug(muni, place)
        row = services.published_version(inst.id, version_id)
        return render("local_acts/public.html", muni=muni, inst=inst, version=row,
                      paragraphs=services.paragraphs(row.text))


@public_bp.get("/<city>/<place>/acts/<int:version_id>/file")
@allow(PUBLIC)
def public_file(city: str, place: str, version_id: int):
    muni = municipality_by_slug(city)
    with public_scope(muni.id):
        inst = institution_by_slug(muni, place)
        return send_attachment(services.version_file(services.published_version(inst.id, version_id)))
