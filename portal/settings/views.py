"""The institution's settings page: the load limit, who signs orders, and the head's delegation of issuing."""
from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask_login import current_user

from portal.exceptions import Invalid
from portal.extensions import db
from portal.mentoring import signing
from portal.navigation import Group, nav_item
from portal.settings import services
from portal.web import form_dict, render
from tenants.access import DELEGATE_ISSUING, EDIT_INSTITUTION_SETTINGS, READ_INSTITUTION_SETTINGS, allow
from tenants.routing import institution_blueprint

bp = institution_blueprint("settings", __name__, "/settings")


def _ctx(**extra) -> dict:
    inst = g.institution
    return {"institution": inst, "default_position": signing.DEFAULT_HEAD_POSITION.get(inst.kind, "Руководитель"),
            "derived_name": signing.head_name(inst) if not inst.head_name else "",
            "delegations": signing.delegations(), "curator_options": [(u.id, u.full_name) for u in signing.curators(inst)], "errors": {}, "data": {},
            "delegation_errors": {}, **extra}


@bp.get("")
@allow(READ_INSTITUTION_SETTINGS)
def index():
    return render("settings/index.html", **_ctx())


@bp.post("")
@allow(EDIT_INSTITUTION_SETTINGS)
def save():
    data = form_dict("mentor_capacity", "head_position", "head_name")
    try:
        services.save_settings(g.institution, data, current_user.id)
    except Invalid as exc:
        db.session.rollback()
        return render("settings/index.html", status=422, **_ctx(errors=exc.fields, data=data))
    flash("Настройки сохранены.", "success")
    return redirect(url_for("settings.index"))


@bp.post("/delegations")
@allow(DELEGATE_ISSUING)
def delegate():
    data = form_dict("user_id", "basis")
    try:
        signing.delegate(g.institution, data["user_id"], data["basis"], current_user.id)
    except Invalid as exc:
        return render("settings/index.html", status=422, **_ctx(delegation_errors=exc.fields, data=data))
    flash("Поручение на издание приказов записано.", "success")
    return redirect(url_for("settings.index"))


@bp.post("/delegations/<int:delegation_id>/revoke")
@allow(DELEGATE_ISSUING)
def revoke(delegation_id: int):
    signing.revoke(delegation_id, current_user.id)
    flash("Поручение отозвано.", "success")
    return redirect(url_for("settings.index"))


def register(app) -> None:
    app.register_blueprint(bp)
    nav_item("institution", "Настройки", "settings.index", order=95, group=Group.INSTITUTION)
