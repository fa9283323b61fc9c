"""Pages of the forms of mentoring (the built-in ones of seed §2.3 and the institution's own) and of the
participants from outside the institution — on the mentoring blueprint (speed mentoring:
portal/pairs/speed_views.py)."""
from __future__ import annotations


from flask import flash, redirect, request, url_for
from flask_login import current_user

from portal.errors import Invalid
from portal.extensions import db
from portal.mentoring import banks, outsiders
from portal.mentoring import forms as form_rules
from portal.mentoring.forms_rules import KIND_LABELS, MENTEES_FROM, MENTORS_FROM
from portal.mentoring.people import CONSENT_PURPOSE, EXTERNAL_KINDS
from portal.mentoring.blueprint import bp
from portal.partners.services import partners
from portal.uploads.services import send_attachment
from portal.web import form_dict, render
from tenants.access import EDIT_MENTORING, READ_MENTORING, allow

FORM_FIELDS = ("name", "kind", "mentors_from", "mentees_from", "description")


def _forms_ctx(**extra) -> dict:
    return {"forms": banks.forms(archived=True), "kinds": list(KIND_LABELS.items()),
            "mentors_from": list(MENTORS_FROM.items()), "mentees_from": list(MENTEES_FROM.items()),
            "in_use": form_rules.in_use, "errors": {}, "data": {}, "edit_errors": {}, **extra}


@bp.get("/forms")
@allow(READ_MENTORING)
def forms_page():
    return render("mentoring/forms.html", **_forms_ctx())


@bp.post("/forms")
@allow(EDIT_MENTORING)
def add_form():
    data = form_dict(*FORM_FIELDS)
    try:
        row = form_rules.save_form(data)
    except Invalid as exc:
        return render("mentoring/forms.html", status=422, **_forms_ctx(errors=exc.fields, data=data))
    flash(f"Форма «{row.name}» добавлена.", "success")
    return redirect(url_for("mentoring.forms_page"))


@bp.post("/forms/<int:form_id>")
@allow(EDIT_MENTORING)
def edit_form(form_id: int):
    row = form_rules.form(form_id)
    data = {**form_dict(*FORM_FIELDS), "archived": request.form.get("archived", "")}
    try:
        form_rules.save_form(data, row)
    except Invalid as exc:
        db.session.rollback()
        return render("mentoring/forms.html", status=422, **_forms_ctx(edit_errors={row.id: exc.fields}))
    flash("Форма сохранена.", "success")
    return redirect(url_for("mentoring.forms_page"))


# --- participants from outside the institution --------------------------------------------------------------------

def _people_ctx(**extra) -> dict:
    return {"people": outsiders.people(), "kinds": list(EXTERNAL_KINDS.items()),
            "partners": [(p.id, p.name) for p in partners()], "purpose": CONSENT_PURPOSE, "errors": {}, "data": {},
            **extra}


@bp.get("/outside-people")
@allow(READ_MENTORING)
def outside_people():
    return render("mentoring/outside_people.html", **_people_ctx())


@bp.post("/outside-people")
@allow(EDIT_MENTORING)
def add_outside_person():
    data = form_dict("kind", "partner_id", "last_name", "first_name", "middle_name", "position", "consent_date")
    try:
        row = outsiders.add_person(data, request.files.get("scan"), current_user.id)
    except Invalid as exc:
        db.session.rollback()
        return render("mentoring/outside_people.html", status=422, **_people_ctx(errors=exc.fields, data=data))
    flash(f"{row.short_name} внесён(а) в список участников.", "success")
    return redirect(url_for("mentoring.outside_people"))


@bp.post("/outside-people/<int:person_id>/erase")
@allow(EDIT_MENTORING)
def erase_outside_person(person_id: int):
    row = outsiders.person(person_id)
    name = row.short_name
    outsiders.erase(row)
    flash(f"Данные участника {name} удалены вместе с его участием в парах.", "success")
    return redirect(url_for("mentoring.outside_people"))


@bp.get("/outside-people/<int:person_id>/scan")
@allow(READ_MENTORING)
def outside_person_scan(person_id: int):
    return send_attachment(outsiders.consent_scan(outsiders.person(person_id)))
