"""Pages of the institution's roadmap (/i/<slug>/plan): made from the city's, items and their tasks by year,
approval by an order of the head, fulfilling an item (the city's task for a derived one)."""
from __future__ import annotations

from datetime import date

from flask import flash, g, has_request_context, redirect, request, url_for
from flask_login import current_user

from portal.documents.responses import docx_response
from portal.errors import Invalid
from portal.extensions import db
from portal.institution_roadmap import api, services
from portal.institution_roadmap.docx import render_roadmap
from portal.mentoring.orders import order_issued
from portal.navigation import Group, nav_item
from portal.staff.models import Staff
from portal.uploads.services import attachments_of, save_upload
from portal.web import form_dict, int_arg, render
from tenants.access import DEVELOP_INSTITUTION_ROADMAP, READ_INSTITUTION_REPORTING, SUBMIT_EVIDENCE, allow, can
from tenants.routing import institution_blueprint

bp = institution_blueprint("inst_roadmap", __name__, "/plan")
ITEM_FIELDS = ("title", "deadline_text", "responsible_staff_id", "responsible_text", "result_text")


def _index(errors=None, data=None, status=200):
    return render("institution_roadmap/index.html", status=status, roadmaps=services.roadmaps(),
                  city_options=[(r.id, r.title) for r in services.city_roadmaps()], errors=errors or {}, data=data or {},
                  can_develop=can(DEVELOP_INSTITUTION_ROADMAP))


@bp.get("")
@allow(READ_INSTITUTION_REPORTING)
def index():
    return _index()


@bp.post("")
@allow(DEVELOP_INSTITUTION_ROADMAP)
def create():
    data = form_dict("city_roadmap_id", "title")
    try:
        row = services.create_from_city(g.institution, data["city_roadmap_id"], data["title"])
    except Invalid as exc:
        return _index(exc.fields, data, 422)
    flash(f"Дорожная карта организации создана: мероприятий города — {len(row.items)}. Назначьте ответственных и "
          f"добавьте свои мероприятия.", "success")
    return redirect(url_for("inst_roadmap.page", inst_roadmap_id=row.id))


def _page(row, errors=None, data=None, status=200, editing=None):
    today = date.today()
    year = int_arg("year", min(max(today.year, row.first_year), row.last_year), low=2000, high=2100,
                   message="Год — числом, например 2023.")
    staff = list(db.session.execute(db.select(Staff).where(Staff.archived_at.is_(None))
                                    .order_by(Staff.last_name, Staff.first_name)).scalars())
    return render("institution_roadmap/page.html", status=status, row=row, year=year, today=today,
                  years=list(range(row.first_year, row.last_year + 1)), tasks=services.tasks_by_item(row, year),
                  staff=staff, errors=errors or {}, data=data or {}, editing=editing,
                  can_develop=can(DEVELOP_INSTITUTION_ROADMAP), can_fulfil=can(SUBMIT_EVIDENCE))


def _to_page(row, **args):
    return redirect(url_for("inst_roadmap.page", inst_roadmap_id=row.id, **args))


@bp.get("/<int:inst_roadmap_id>")
@allow(READ_INSTITUTION_REPORTING)
def page(inst_roadmap_id: int):
    return _page(services.roadmap(inst_roadmap_id))


@bp.post("/<int:inst_roadmap_id>/items")
@allow(DEVELOP_INSTITUTION_ROADMAP)
def add_item(inst_roadmap_id: int):
    row = services.roadmap(inst_roadmap_id)
    data = form_dict(*ITEM_FIELDS)
    try:
        services.add_item(row, data)
    except Invalid as exc:
        db.session.rollback()
        return _page(row, exc.fields, data, 422)
    return _to_page(row)


@bp.post("/<int:inst_roadmap_id>/items/<int:roadmap_item_id>")
@allow(DEVELOP_INSTITUTION_ROADMAP)
def update_item(inst_roadmap_id: int, roadmap_item_id: int):
    row = services.roadmap(inst_roadmap_id)
    it = services.item(row, roadmap_item_id)
    data = form_dict(*ITEM_FIELDS)
    try:
        services.update_item(row, it, data)
    except Invalid as exc:
        db.session.rollback()
        return _page(row, exc.fields, data, 422, editing=it.id)
    return _to_page(row)


@bp.post("/<int:inst_roadmap_id>/items/<int:roadmap_item_id>/delete")
@allow(DEVELOP_INSTITUTION_ROADMAP)
def remove_item(inst_roadmap_id: int, roadmap_item_id: int):
    row = services.roadmap(inst_roadmap_id)
    try:
        services.remove_item(row, services.item(row, roadmap_item_id))
    except Invalid as exc:
        db.session.rollback()
        return _page(row, exc.fields, status=422)
    return _to_page(row)


@bp.post("/<int:inst_roadmap_id>/approval")
@allow(DEVELOP_INSTITUTION_ROADMAP)
def submit_for_approval(inst_roadmap_id: int):
    row = services.roadmap(inst_roadmap_id)
    data = form_dict("number", "issued_on", "signer_position", "signer_name")
    try:
        order = services.submit_for_approval(row, g.institution, data, current_user.id)
    except Invalid as exc:
        db.session.rollback()
        return _page(row, exc.fields, data, 422)
    flash("Проект приказа об утверждении дорожной карты подготовлен: его издаёт руководитель.", "success")
    return redirect(url_for("mentoring.order_page", order_id=order.id))


@bp.post("/<int:inst_roadmap_id>/approval/withdraw")
@allow(DEVELOP_INSTITUTION_ROADMAP)
def withdraw_from_approval(inst_roadmap_id: int):
    row = services.roadmap(inst_roadmap_id)
    try:
        services.withdraw_from_approval(row)
    except Invalid as exc:
        db.session.rollback()
        return _page(row, exc.fields, status=422)
    return _to_page(row)


@bp.post("/<int:inst_roadmap_id>/own-tasks/<int:own_task_id>/done")
@allow(SUBMIT_EVIDENCE)
def own_task_done(inst_roadmap_id: int, own_task_id: int):
    row = services.roadmap(inst_roadmap_id)
    task = services.own_task(row, own_task_id)
    data = form_dict("note", "link", "done_on")
    try:
        services.complete_own_task(task, data, current_user.id)
    except Invalid as exc:
        return _page(row, {f"own-{task.id}": exc.fields}, data, 422)
    return _to_page(row, year=(task.due_date or date.today()).year)


@bp.post("/<int:inst_roadmap_id>/own-tasks/<int:own_task_id>/reopen")
@allow(SUBMIT_EVIDENCE)
def own_task_reopen(inst_roadmap_id: int, own_task_id: int):
    row = services.roadmap(inst_roadmap_id)
    task = services.own_task(row, own_task_id)
    try:
        services.reopen_own_task(task)
    except Invalid as exc:
        return _page(row, exc.fields, status=422)
    return _to_page(row, year=(task.due_date or date.today()).year)


@bp.post("/<int:inst_roadmap_id>/tasks/<int:task_id>/done")
@allow(SUBMIT_EVIDENCE)
def city_task_done(inst_roadmap_id: int, task_id: int):
    """Fulfil a derived item: the evidence goes to the city's task it derives from (the coordinator reviews it)."""
    row = services.roadmap(inst_roadmap_id)
    data = form_dict("evidence_text", "evidence_link", "figures")
    files = [f for f in request.files.getlist("files") if f and f.filename]
    try:
        for f in files:
            save_upload(f, "roadmap_task", task_id, field="files", uploaded_by_id=current_user.id)
        task = services.complete_city_task(row, task_id, data, current_user.id,
                                           has_files=bool(files or attachments_of("roadmap_task", task_id)))
    except Invalid as exc:
        db.session.rollback()
        return _page(row, {f"city-{task_id}": exc.fields}, data, 422)
    flash("Подтверждение отправлено координатору: задача дорожной карты города на проверке.", "success")
    return _to_page(row, year=(task.due_date or date.today()).year)


@bp.get("/<int:inst_roadmap_id>/roadmap.docx")
@allow(READ_INSTITUTION_REPORTING)
def docx(inst_roadmap_id: int):
    row = services.roadmap(inst_roadmap_id)
    return docx_response(render_roadmap(row, g.institution), f"roadmap-{row.first_year}-{row.last_year}.docx")


def _approve(order, actor_id=None, **_):
    """An issued order «Об утверждении дорожной карты» approves the roadmap it was drafted for."""
    row = services.roadmap_of_order(order)
    if row is not None:
        link = url_for("inst_roadmap.page", inst_roadmap_id=row.id) if has_request_context() else ""
        services.approve(row, order, link)


def register(app) -> None:
    order_issued.connect(_approve)
    api.register_api(app)
    app.register_blueprint(bp)
    nav_item("institution", "Дорожная карта ОО", "inst_roadmap.index", order=68, group=Group.REPORTING)
