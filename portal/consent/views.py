"""Consent to processing and to publication per person, withdrawal; the person's data exported to them; erasure on
request with the act of destruction (head only)."""
from __future__ import annotations

import json

from flask import Response, flash, g, redirect, request, url_for
from flask_login import current_user

from portal.audit.services import record
from portal.consent import personal_data, services
from portal.consent.models import PUBLISHABLE_FIELDS, ConsentKind, ConsentRecord, ErasureAct
from portal.documents.responses import docx_response
from portal.errors import Invalid
from portal.extensions import db
from portal.navigation import Group, nav_item
from portal.staff.services import get_staff
from portal.uploads.services import save_upload
from portal.web import form_dict, render
from tenants.access import EDIT_STAFF, ERASE_PERSONAL_DATA, READ_STAFF, allow
from tenants.queries import get_or_404
from tenants.routing import institution_blueprint

bp = institution_blueprint("consent", __name__, "/staff/<int:staff_id>/consent")
acts_bp = institution_blueprint("erasure", __name__, "/erasure-acts")


def _ctx(staff, **extra) -> dict:
    return {"staff": staff, "consents": services.consents_of(staff.id), "kinds": [(k.value, k.label) for k in ConsentKind],
            "fields": PUBLISHABLE_FIELDS, "errors": {}, "data": {"method": "письменно"}, **extra}


def _consent(staff, consent_id: int) -> ConsentRecord:
    return get_or_404(ConsentRecord, consent_id, "Согласие не найдено.", staff_id=staff.id)


@bp.get("")
@allow(READ_STAFF)
def page(staff_id: int):
    return render("consent/page.html", **_ctx(get_staff(staff_id)))


@bp.post("")
@allow(EDIT_STAFF)
def record_consent(staff_id: int):
    staff = get_staff(staff_id)
    data = form_dict("kind", "purpose", "data_list", "text_version", "given_on", "method")
    fields = request.form.getlist("fields")
    try:
        file = request.files.get("scan")
        scan = save_upload(file, "consent", staff.id, field="scan", uploaded_by_id=current_user.id).id \
            if file and file.filename else None
        services.record_consent(staff.id, data, fields, scan)
    except Invalid as exc:
        db.session.rollback()
        return render("consent/page.html", status=422, **_ctx(staff, errors=exc.fields, data=data))
    record("create", "consent", staff.id)
    db.session.commit()
    flash("Согласие записано.", "success")
    return redirect(url_for("consent.page", staff_id=staff.id))


@bp.route("/<int:consent_id>/withdraw", methods=["POST"])
@allow(EDIT_STAFF)
def withdraw(staff_id: int, consent_id: int):
    staff = get_staff(staff_id)
    try:
        services.withdraw(_consent(staff, consent_id), request.form.get("withdrawn_on", ""))
    except Invalid as exc:
        return render("consent/page.html", status=422, **_ctx(staff, errors=exc.fields))
    flash("Согласие отозвано: с этой даты сведения не публикуются.", "success")
    return redirect(url_for("consent.page", staff_id=staff.id))


@bp.route("/personal-data.json")
@allow(EDIT_STAFF)
def export(staff_id: int):
    staff = get_staff(staff_id)
    record("export", "staff", staff.id, detail="выгрузка персональных данных субъекту")
    db.session.commit()
    body = json.dumps(personal_data.collect(staff), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=personal-data-{staff.id}.json"})


@bp.route("/erase", methods=["POST"])
@allow(ERASE_PERSONAL_DATA)
def erase(staff_id: int):
    staff = get_staff(staff_id)
    if request.form.get("confirm") != staff.last_name:
        return render("consent/page.html", status=422, **_ctx(staff, errors={
            "confirm": "Для подтверждения впишите фамилию сотрудника."}))
    try:
        act = personal_data.erase(staff, request.form.get("reason", ""), current_user, g.institution)
    except Invalid as exc:
        return render("consent/page.html", status=422, **_ctx(staff, errors=exc.fields))
    flash(f"Персональные данные уничтожены. Составлен акт № {act.id}.", "success")
    return redirect(url_for("erasure.acts"))


@acts_bp.route("")
@allow(ERASE_PERSONAL_DATA)
def acts():
    rows = db.session.execute(db.select(ErasureAct).order_by(ErasureAct.id.desc())).scalars()
    return render("consent/acts.html", acts=list(rows))


@acts_bp.route("/<int:act_id>.docx")
@allow(ERASE_PERSONAL_DATA)
def act_docx(act_id: int):
    act = get_or_404(ErasureAct, act_id, "Акт не найден.")
    return docx_response(act.document, f"act-{act.id}.docx")


def register(app) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(acts_bp)
    nav_item("institution", "Акты уничтожения ПДн", "erasure.acts", order=910, group=Group.DOCUMENTS)
