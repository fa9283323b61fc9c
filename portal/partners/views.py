"""Partner organizations and agreements of an institution."""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, request, url_for
from flask_login import current_user

from portal.errors import Invalid
from portal.extensions import db
from portal.navigation import Group, nav_item
from portal.partners import services
from portal.partners.models import PARTNER_KINDS
from portal.uploads.services import save_upload, send_attachment
from portal.web import form_dict, render
from tenants.access import EDIT_PARTNERS, READ_PARTNERS, allow
from tenants.routing import institution_blueprint

bp = institution_blueprint("partners", __name__, "/partners")


def _ctx(**extra) -> dict:
    oct1 = date(date.today().year, 10, 1)
    return {"partners": services.partners(), "kinds": list(PARTNER_KINDS.items()), "errors": {}, "data": {},
            "agreement_errors": {}, "today": date.today(),
            "oct1": oct1, "covered": services.has_agreement_on(oct1), **extra}


@bp.get("")
@allow(READ_PARTNERS)
def index():
    return render("partners/index.html", **_ctx())


@bp.post("")
@allow(EDIT_PARTNERS)
def add_partner():
    data = form_dict("name", "kind", "site_url")
    try:
        services.add_partner(data)
    except Invalid as exc:
        return render("partners/index.html", status=422, **_ctx(errors=exc.fields, data=data))
    flash("Организация-партнёр добавлена.", "success")
    return redirect(url_for("partners.index"))


@bp.route("/<int:partner_id>/agreements", methods=["POST"])
@allow(EDIT_PARTNERS)
def add_agreement(partner_id: int):
    row = services.partner(partner_id)
    data = form_dict("number", "signed_on", "valid_from", "valid_to", "subject")
    try:
        values = services.clean_agreement(data)
        file = request.files.get("file")
        file_id = save_upload(file, "agreement", row.id, uploaded_by_id=current_user.id).id if file and file.filename else None
        services.add_agreement(row, values, file_id)
    except Invalid as exc:
        db.session.rollback()
        return render("partners/index.html", status=422, **_ctx(agreement_errors={row.id: exc.fields}))
    flash("Соглашение добавлено.", "success")
    return redirect(url_for("partners.index"))


@bp.route("/agreements/<int:agreement_id>/file")
@allow(READ_PARTNERS)
def agreement_file(agreement_id: int):
    return send_attachment(services.agreement_file(agreement_id))


def register(app) -> None:
    app.register_blueprint(bp)
    nav_item("institution", "Партнёры", "partners.index", order=80, group=Group.PEOPLE)
