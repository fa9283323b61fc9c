"""Program pages: list, create from a template, the program with its plan (HTMX), states, changes, DOCX."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, request, url_for
from flask_login import current_user

from portal.documents.responses import docx_response
from portal.errors import Forbidden, Invalid
from portal.extensions import db
from portal.mentoring.states import DEFAULT_DIFFICULTIES, ProgramState
from portal.navigation import Group, nav_item
from portal.programs import api, personal, personal_api, personal_views, services  # noqa: F401  (their routes join)
from portal.programs.pages import _editable, _page_ctx, _program, bp
from portal.programs.docx import render_program
from portal.uploads.services import get_attachment, save_upload, send_attachment
from portal.web import form_dict, render
from portal.mentoring import years
from portal.years.services import closed_years
from tenants.access import AGREE_TO_CHANGES, APPROVE_PROGRAMS, VIEW_INSTITUTION, WORK_ON_PLANS, WRITE_PROGRAMS, allow, can, current_roles



@bp.route("/")
@allow(VIEW_INSTITUTION)
def index():
    year = years.selected_year(request.args.get("year"))
    rows = [p for p in services.programs_in(year) if services.may_read(current_user, current_roles(), p)]
    return render("programs/list.html", programs=rows, today=date.today(), can_create=can(WRITE_PROGRAMS),
                  year=year, years=years.years_with_data(), closed_years=closed_years())


@bp.route("/new", methods=["GET", "POST"])
@allow(WRITE_PROGRAMS)
def create():
    options = services.groups_for_new_program(current_user, current_roles())
    data, errors, status = {"template": request.args.get("template", ""), "start_date": date.today().strftime("%d.%m.%Y")}, {}, 200
    if request.method == "POST":
        data = {**form_dict("group_id", "mentee_staff_id", "template", *services.TEXT_FIELDS, "start_date", "end_date"),
                "difficulty_codes": request.form.getlist("difficulty_codes")}
        if request.form.get("pair"):  # one select carries «group:mentee»
            data["group_id"], _, data["mentee_staff_id"] = request.form["pair"].partition(":")
        group = next((gr for gr in options if str(gr.id) == data["group_id"]), None)
        try:
            if group is None:
                raise Invalid("group_id", "Выберите пару (группу), утверждённую приказом.")
            row = services.create_program(group, data["mentee_staff_id"], data, data["template"] or None)
        except Invalid as exc:
            errors, status = exc.fields, 422
        else:
            flash("Программа создана как черновик. Дополните план и передайте на утверждение.", "success")
            return redirect(url_for("programs.page", program_id=row.id))

    return render("programs/new.html", status=status, groups=options, data=data, errors=errors,
                  template_options=personal.template_options(), difficulties=DEFAULT_DIFFICULTIES,
                  diagnosis=personal.diagnosis)


@bp.route("/<int:program_id>")
@allow(VIEW_INSTITUTION)
def page(program_id: int):
    return render("programs/page.html", **_page_ctx(_program(program_id)))


@bp.route("/<int:program_id>/edit", methods=["POST"])
@allow(WRITE_PROGRAMS)
def edit(program_id: int):
    row = _editable(program_id)
    data = form_dict(*services.TEXT_FIELDS, "start_date", "end_date")
    try:
        services.update_program(row, data)
    except Invalid as exc:
        db.session.rollback()
        return render("programs/page.html", status=422, **_page_ctx(row, errors=exc.fields, data=data))
    return redirect(url_for("programs.page", program_id=row.id))


@bp.route("/<int:program_id>/items", methods=["POST"])
@allow(WRITE_PROGRAMS)
def add_item(program_id: int):
    row = _editable(program_id)
    data = form_dict("content", "form", "due_date", "responsible", "expected_result", "report_form")
    try:
        services.add_item(row, data)
    except Invalid as exc:
        return render("programs/page.html", "programs/_plan.html", status=422, **_page_ctx(row, errors=exc.fields, data=data))
    return render("programs/page.html", "programs/_plan.html", **_page_ctx(row))


@bp.route("/<int:program_id>/items/<int:item_id>/done", methods=["POST"])
@allow(WORK_ON_PLANS)
def item_done(program_id: int, item_id: int):
    row = _program(program_id)
    if not services.may_mark(current_user, current_roles(), row):
        raise Forbidden("Отмечает выполнение наставляемый, его наставник или куратор.")
    it = services.item(row, item_id)
    try:
        if request.files.get("evidence") and request.files["evidence"].filename:
            save_upload(request.files["evidence"], "plan_item", it.id, field="evidence", uploaded_by_id=current_user.id)
        services.mark_done(it, request.form.get("note", ""), current_user)
    except Invalid as exc:
        db.session.rollback()
        return render("programs/_item.html", status=422, it=it, **_page_ctx(row, errors=exc.fields))
    return render("programs/_item.html", it=it, **_page_ctx(row))


@bp.route("/<int:program_id>/items/<int:item_id>/comments", methods=["POST"])
@allow(WORK_ON_PLANS)
def item_comment(program_id: int, item_id: int):
    row = _program(program_id)
    it = services.item(row, item_id)
    try:
        services.comment(it, request.form.get("text", ""), current_user)
    except Invalid as exc:
        return render("programs/_item.html", status=422, it=it, **_page_ctx(row, errors=exc.fields))
    return render("programs/_item.html", it=it, **_page_ctx(row))


@bp.route("/<int:program_id>/items/<int:item_id>/evidence/<int:evidence_id>")
@allow(VIEW_INSTITUTION)
def evidence(program_id: int, item_id: int, evidence_id: int):
    it = services.item(_program(program_id), item_id)
    return send_attachment(get_attachment(evidence_id, "plan_item", it.id))


@bp.route("/<int:program_id>/state", methods=["POST"])
@allow(WRITE_PROGRAMS)
def state(program_id: int):
    row = _editable(program_id)
    try:
        target = ProgramState(request.form.get("state", ""))
    except ValueError:
        target = None
    try:
        if target is None:
            raise Invalid("state", "Выберите действие.")
        if target in (ProgramState.APPROVED, ProgramState.ACTIVE) and not can(APPROVE_PROGRAMS):
            raise Forbidden("Утверждает программу куратор или руководитель.")
        services.change_state(row, target, current_user.id, request.form.get("reason", ""), request.form.get("note", ""))
    except Invalid as exc:
        db.session.rollback()
        return render("programs/page.html", status=422, **_page_ctx(row, errors=exc.fields))
    return redirect(url_for("programs.page", program_id=row.id))


@bp.route("/<int:program_id>/changes", methods=["POST"])
@allow(WORK_ON_PLANS)
def propose_change(program_id: int):
    row = _program(program_id)
    data = form_dict("kind", "new_end_date", "description", "on_paper")
    try:
        services.propose_change(row, current_user, current_roles(), data["kind"], data["new_end_date"], data["description"],
                                on_paper=data["on_paper"] == "1")
    except Invalid as exc:
        db.session.rollback()
        return render("programs/page.html", status=422, **_page_ctx(row, errors=exc.fields, data=data))
    return redirect(url_for("programs.page", program_id=row.id))


@bp.route("/<int:program_id>/changes/<int:change_id>/agree", methods=["POST"])
@allow(AGREE_TO_CHANGES)
def agree_change(program_id: int, change_id: int):
    row = _program(program_id)
    services.agree(change_id, row, current_user)
    return redirect(url_for("programs.page", program_id=row.id))


@bp.route("/<int:program_id>/program.docx")
@allow(VIEW_INSTITUTION)
def docx(program_id: int):
    row = _program(program_id)
    return docx_response(render_program(row, g.institution), f"program-{row.id}.docx")


def register(app) -> None:
    years.set_programs_source(services.programs_in)
    api.register_api(app)
    app.register_blueprint(bp)
    nav_item("institution", "Программы", "programs.index", order=50, group=Group.MENTORING)
