"""Mentoring pages of an institution: banks, matching, pairs and groups, the import of the list (the order pages
are portal.mentoring.order_views, on the same blueprint)."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, request, url_for
from flask_login import current_user

from portal.errors import Invalid
from portal.extensions import db
from portal.mentoring import banks, groups, matching, numbering, orders, outsiders
from portal.mentoring import forms_api, year_api  # noqa: F401  (routes on the API blueprint)
from portal.mentoring import forms_views, order_views  # noqa: F401  (their routes join bp)
from portal.mentoring.api import register_api
from portal.mentoring.blueprint import bp
from portal.mentoring.importer import import_groups, import_options
from portal.mentoring.states import DEFAULT_DIFFICULTIES, GroupFormat, GroupState, MenteeCategory
from portal.navigation import Group, nav_item
from portal.periods import academic_year_choices
from portal.uploads.services import save_upload, send_attachment
from portal.web import form_dict, render
from portal.mentoring import years, year_views
from portal.years.services import closed_years, year_of
from tenants.access import EDIT_MENTORING, READ_MENTORING, allow



def _bank_ctx(**extra) -> dict:
    return {"mentors": banks.mentors(), "needs": banks.needs(), "staff": groups.staff_options(),
            "difficulties": DEFAULT_DIFFICULTIES, "categories": [(c.value, c.label) for c in MenteeCategory],
            "institution": g.institution, "count": groups.current_mentee_count,
            "capacity": lambda sid: groups.capacity_of(sid, g.institution), "errors": {}, "data": {}, **extra}


@bp.route("/banks")
@allow(READ_MENTORING)
def bank_page():
    return render("mentoring/banks.html", **_bank_ctx())


@bp.route("/banks/mentors", methods=["POST"])
@allow(EDIT_MENTORING)
def add_mentor():
    data = {**form_dict("staff_id", "areas", "capacity"), "competencies": request.form.getlist("competencies")}
    try:
        banks.save_mentor(data)
    except Invalid as exc:
        return render("mentoring/banks.html", "mentoring/_mentor_bank.html", status=422,
                      **_bank_ctx(errors=exc.fields, data=data))
    return render("mentoring/banks.html", "mentoring/_mentor_bank.html", **_bank_ctx())


@bp.route("/banks/needs", methods=["POST"])
@allow(EDIT_MENTORING)
def add_need():
    data = {**form_dict("staff_id", "category", "difficulties_text", "own_request", "strengths"),
            "difficulties": request.form.getlist("difficulties")}
    try:
        banks.save_need(data)
    except Invalid as exc:
        return render("mentoring/banks.html", "mentoring/_need_bank.html", status=422,
                      **_bank_ctx(errors=exc.fields, data=data))
    return render("mentoring/banks.html", "mentoring/_need_bank.html", **_bank_ctx())


@bp.route("/needs/<int:need_id>/match")
@allow(EDIT_MENTORING)
def match(need_id: int):
    need = banks.need(need_id)
    return render("mentoring/match.html", "mentoring/_suggestions.html", need=need,
                  suggestions=matching.suggest(need, g.institution), difficulties=DEFAULT_DIFFICULTIES,
                  forms=banks.forms(), today=date.today())


# --- groups ---------------------------------------------------------------------------------------------------

def _group_ctx(**extra):
    forms = banks.forms()
    year = years.selected_year(request.args.get("year"))

    people = outsiders.people()
    return {"groups": years.groups_in(year), "year": year, "years": years.years_with_data(),
            "closed_years": closed_years(), "form_options": [(f.id, f.name) for f in forms],
            "outside_mentors": [p for p in people if p.kind == outsiders.PARTNER_EMPLOYEE],
            "outside_mentees": [p for p in people if p.kind == outsiders.STUDENT],
            "staff": groups.staff_options(), "formats": [(f.value, f.label) for f in GroupFormat], "errors": {},
            "data": {"start_date": date.today().strftime("%d.%m.%Y"), "format": "in_person"}, **extra}


@bp.post("/groups")
@allow(EDIT_MENTORING)
def form_group():
    data = {**form_dict("form_id", "format", "start_date", "end_date", "confirm_over_limit"),
            **{k: request.form.getlist(k) for k in ("mentor_ids", "mentee_ids", "form_ids", "external_mentor_ids",
                                                    "external_mentee_ids")}}
    try:
        group = groups.form_group(g.institution, data, current_user.id)
    except Invalid as exc:
        return render("mentoring/groups.html", "mentoring/_group_form.html", status=422,
                      **_group_ctx(errors=exc.fields, data=data))
    flash(f"Пара (группа) № {group.id} сформирована. Включите её в приказ о закреплении.", "success")
    return redirect(url_for("mentoring.group_page", group_id=group.id))


@bp.get("/groups")
@allow(READ_MENTORING)
def group_list():
    prefill = {"mentor_ids": request.args.getlist("mentor"), "mentee_ids": request.args.getlist("mentee")}
    ctx = _group_ctx()
    ctx["data"].update({k: [int(i) for i in v if i.isdigit()] for k, v in prefill.items()})
    return render("mentoring/groups.html", **ctx)


@bp.route("/groups/<int:group_id>")
@allow(READ_MENTORING)
def group_page(group_id: int):
    group = groups.group(group_id)
    return render("mentoring/group.html", group=group, history=groups.history(group), states=GroupState,
                  errors={}, today=date.today())


@bp.route("/groups/<int:group_id>/state", methods=["POST"])
@allow(EDIT_MENTORING)
def group_state(group_id: int):
    group = groups.group(group_id)
    try:
        target = GroupState(request.form.get("state", ""))
    except ValueError:
        target = None
    try:
        if target is None:
            raise Invalid("state", "Выберите новое состояние.")
        groups.change_state(group, target, request.form.get("reason", ""), current_user.id)
    except Invalid as exc:
        return render("mentoring/group.html", status=422, group=group, history=groups.history(group),
                      states=GroupState, errors=exc.fields, today=date.today())
    return redirect(url_for("mentoring.group_page", group_id=group.id))


@bp.route("/groups/<int:group_id>/members/<int:member_id>/consent", methods=["POST"])
@allow(EDIT_MENTORING)
def consent(group_id: int, member_id: int):
    group = groups.group(group_id)
    try:
        attachment_id = None
        if request.files.get("scan") and request.files["scan"].filename:
            attachment_id = save_upload(request.files["scan"], "group_member", member_id, field="scan",
                                        uploaded_by_id=current_user.id).id
        groups.record_consent(group, member_id, request.form.get("consent_date", ""), attachment_id)
    except Invalid as exc:
        db.session.rollback()
        return render("mentoring/group.html", status=422, group=group, history=groups.history(group),
                      states=GroupState, errors=exc.fields, today=date.today())
    return redirect(url_for("mentoring.group_page", group_id=group.id))


@bp.post("/groups/<int:group_id>/consent")
@allow(EDIT_MENTORING)
def consent_all(group_id: int):
    group = groups.group(group_id)
    try:
        n = groups.record_consent_all(group, request.form.get("consent_date", ""))
    except Invalid as exc:
        db.session.rollback()
        return render("mentoring/group.html", status=422, group=group, history=groups.history(group),
                      states=GroupState, errors=exc.fields, today=date.today())
    flash(f"Согласия отмечены: {n}.", "success")
    return redirect(url_for("mentoring.group_page", group_id=group.id))


@bp.route("/groups/<int:group_id>/members/<int:member_id>/scan")
@allow(READ_MENTORING)
def consent_scan(group_id: int, member_id: int):
    return send_attachment(groups.consent_scan(groups.group(group_id), member_id))


IMPORT_FIELDS = ("list_date", "academic_year", "order_id", "order_number", "order_date", "confirm_over_limit")


def _import_ctx(**extra) -> dict:
    current = int(year_of(date.today())[:4])
    return {"result": None, "error": None, "rows": [], "fields": {}, "data": {}, "orders": orders.orders(),
            "year_options": academic_year_choices(2020, current + 1), **extra}


@bp.route("/groups/import", methods=["GET", "POST"])
@allow(EDIT_MENTORING)
def import_groups_file():
    if request.method == "GET":
        return render("mentoring/import.html", **_import_ctx())
    file = request.files.get("file")
    data = form_dict(*IMPORT_FIELDS)
    try:
        if file is None or not file.filename:
            raise Invalid("file", "Выберите файл DOCX, XLSX или CSV.")
        result = import_groups(g.institution, file.filename, file.read(), current_user.id,
                               options=import_options(data))
    except Invalid as exc:
        db.session.rollback()
        return render("mentoring/import.html", "mentoring/_import_result.html", status=422,
                      **_import_ctx(error=exc.message, rows=exc.rows, fields=exc.fields, data=data))
    return render("mentoring/import.html", "mentoring/_import_result.html", **_import_ctx(result=result, data=data))


def register(app) -> None:
    numbering.init()   # after the tenant hooks (installed in create_app), so the institution is stamped first
    app.register_blueprint(bp)
    register_api(app)
    year_views.register(app)   # the academic year's page (/years): its own blueprint
    nav_item("institution", "Банки", "mentoring.bank_page", order=20, group=Group.PEOPLE)
    nav_item("institution", "Пары и группы", "mentoring.group_list", order=30, group=Group.MENTORING)
    nav_item("institution", "Приказы", "mentoring.order_list", order=40, group=Group.DOCUMENTS)
