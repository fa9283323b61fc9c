"""Program pages of the personalization (on the programs blueprint): the mentee's proposals and the mentor's
decision, the institution's templates — a completed program saved as one, the list, removal."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from portal.errors import Invalid
from portal.extensions import db
from portal.programs import personal
from portal.programs.pages import _editable, _page_ctx, _program, bp
from portal.web import form_dict, render
from tenants.access import EDIT_MENTORING, WORK_ON_PLANS, WRITE_PROGRAMS, allow


@bp.route("/<int:program_id>/proposals", methods=["POST"])
@allow(WORK_ON_PLANS)
def propose_item(program_id: int):
    row = _program(program_id)
    data = form_dict("content", "form", "due_date", "expected_result", "report_form")
    try:
        personal.propose(row, data, current_user)
    except Invalid as exc:
        db.session.rollback()
        return render("programs/page.html", status=422, **_page_ctx(row, errors=exc.fields, data=data))
    flash("Предложение передано наставнику.", "success")
    return redirect(url_for("programs.page", program_id=row.id))


@bp.route("/<int:program_id>/proposals/<int:proposal_id>/decision", methods=["POST"])
@allow(WRITE_PROGRAMS)
def decide_proposal(program_id: int, proposal_id: int):
    row = _program(program_id)
    item = personal.proposal(row, proposal_id)
    try:
        personal.decide(row, item, request.form.get("accept") == "1", request.form.get("decision_note", ""),
                        current_user)
    except Invalid as exc:
        db.session.rollback()
        return render("programs/page.html", status=422, **_page_ctx(row, errors=exc.fields))
    return redirect(url_for("programs.page", program_id=row.id))


@bp.route("/<int:program_id>/template", methods=["POST"])
@allow(WRITE_PROGRAMS)
def save_template(program_id: int):
    row = _editable(program_id)
    try:
        tpl = personal.save_as_template(row, request.form.get("title", ""), current_user.id)
    except Invalid as exc:
        return render("programs/page.html", status=422, **_page_ctx(row, errors=exc.fields))
    flash(f"Шаблон «{tpl.title}» сохранён: его можно выбрать для новой программы.", "success")
    return redirect(url_for("programs.templates_page"))


@bp.route("/templates")
@allow(WRITE_PROGRAMS)
def templates_page():
    return render("programs/templates.html", templates=personal.templates())


@bp.route("/templates/<int:template_id>/delete", methods=["POST"])
@allow(EDIT_MENTORING)
def delete_template(template_id: int):
    personal.delete_template(personal.template(template_id))
    flash("Шаблон удалён.", "success")
    return redirect(url_for("programs.templates_page"))
