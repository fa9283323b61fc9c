"""Consent to processing and to publication per person, withdrawal; the person's data exported to them; erasure on
request with the act of destruction (head only)."""
from __future__ import annotations

import json

from flask import Response, flash, g, redirect, request, url_for
from flask_login import current_user

from portal.audit.services import record
from portal.consent import personal_data, services
from portal.consent.models import PUBLISHABLE_FIELDS, ConsentKind, ConsentRecord, ErasureAct
from portal.errors import Invalid, NotFound
from portal.extensions import db
from portal.mentoring.order_docx import DOCX_MIME
from portal.navigation import nav_item
from portal.staff.services import get_staff
from portal.uploads.services import save_upload
from portal.web import form_dict, render
from tenants.access import Role, allow
from tenants.routing import institution_blueprint

bp = institution_blueprint("consent", __name__, "/staff/<int:staff_id>/consent")
acts_bp = institution_blueprint("erasure", __name__, "/erasure-acts")
EDITORS = (Role.HEAD, Role.CURATOR)


def _ctx(staff, **extra) -> dict:
    return {"staff": staff, "consents": services.consents_of(staff.id), "kinds": [(k.value, k.label) for k in ConsentKind],
            "fields": PUBLISHABLE_FIELDS, "can_edit": bool(g.roles & set(EDITORS)), "is_head": Role.HEAD in g.roles,
            "errors": {}, "data": {"method": "письменно"}, **extra}


def _consent(staff, consent_id: int) -> ConsentRecord:
    row = db.session.get(ConsentRecord, consent_id)
    if row is None or row.staff_id != staff.id:
        raise NotFound("Согласие не найдено.")
    return row


@bp.route("", methods=["GET", "POST"])
@allow(*EDITORS, Role.COORDINATOR)
def page(staff_id: int):
    staff = get_staff(staff_id)
    if request.method == "POST":
        if not g.roles & set(EDITORS):
            raise NotFound()
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
    return render("consent/page.html", **_ctx(staff))


@bp.route("/<int:consent_id>/withdraw", methods=["POST"])
@allow(*EDITORS)
def withdraw(staff_id: int, consent_id: int):
    staff = get_staff(staff_id)
    try:
        services.withdraw(_consent(staff, consent_id), request.form.get("withdrawn_on", ""))
    except Invalid as exc:
        return render("consent/page.html", status=422, **_ctx(staff, errors=exc.fields))
    flash("Согласие отозвано: с этой даты сведения не публикуются.", "success")
    return redirect(url_for("consent.page", staff_id=staff.id))


@bp.route("/personal-data.json")
@allow(*EDITORS)
def export(staff_id: int):
    staff = get_staff(staff_id)
    record("export", "staff", staff.id, detail="выгрузка персональных данных субъекту")
    db.session.commit()
    body = json.dumps(personal_data.collect(staff), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename=personal-data-{staff.id}.json"})


@bp.route("/erase", methods=["POST"])
@allow(Role.HEAD)
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
@allow(Role.HEAD)
def acts():
    rows = db.session.execute(db.select(ErasureAct).order_by(ErasureAct.id.desc())).scalars()
    return render("consent/acts.html", acts=list(rows))


@acts_bp.route("/<int:act_id>.docx")
@allow(Role.HEAD)
def act_docx(act_id: int):
    act = db.session.get(ErasureAct, act_id)
    if act is None:
        raise NotFound("Акт не найден.")
    return Response(act.document, mimetype=DOCX_MIME,
                    headers={"Content-Disposition": f"attachment; filename=act-{act.id}.docx"})


def register(app) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(acts_bp)
    nav_item("institution", "Акты уничтожения ПДн", "erasure.acts", (Role.HEAD,), order=910)
