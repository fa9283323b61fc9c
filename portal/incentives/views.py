"""Pages of incentives: the institution's kinds, proposals from the association or a colleague, the order
«О поощрении» drafted from them (issued like any order, on the order's page)."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, request, url_for
from flask_login import current_user

from portal.errors import Invalid
from portal.extensions import db
from portal.incentives import api, services
from portal.mentoring.orders import order_issued
from portal.navigation import Group, nav_item
from portal.web import form_dict, render
from tenants.access import EDIT_MENTORING, PROPOSE_INCENTIVES, READ_MENTORING, allow, can
from tenants.routing import institution_blueprint

bp = institution_blueprint("incentives", __name__, "/incentives")


def _ctx(**extra) -> dict:
    return {"kinds": services.kinds(archived=True), "proposals": services.proposals(), "mentors": services.mentors(),
            "associations": [(a.id, a.name) for a in services.associations()],
            "kind_options": [(k.id, f"{k.name} ({k.material_label})") for k in services.kinds()], "errors": {}, "data": {}, "order_errors": {},
            "order_data": {"issued_on": date.today().strftime("%d.%m.%Y")}, "kind_errors": {}, **extra}


@bp.get("")
@allow(READ_MENTORING)
def index():
    return render("incentives/index.html", **_ctx())


@bp.post("/kinds")
@allow(EDIT_MENTORING)
def add_kind():
    data = form_dict("name", "material", "description")
    try:
        services.save_kind(data)
    except Invalid as exc:
        return render("incentives/index.html", status=422, **_ctx(kind_errors={0: exc.fields}))
    flash("Вид поощрения добавлен.", "success")
    return redirect(url_for("incentives.index"))


@bp.post("/kinds/<int:incentive_kind_id>")
@allow(EDIT_MENTORING)
def edit_kind(incentive_kind_id: int):
    row = services.kind(incentive_kind_id)
    data = {**form_dict("name", "description"), "material": request.form.get("material", ""),
            "archived": request.form.get("archived", "")}
    try:
        services.save_kind(data, row)
    except Invalid as exc:
        db.session.rollback()
        return render("incentives/index.html", status=422, **_ctx(kind_errors={row.id: exc.fields}))
    flash("Вид поощрения сохранён.", "success")
    return redirect(url_for("incentives.index"))


@bp.get("/propose")
@allow(PROPOSE_INCENTIVES)
def propose_page():
    return render("incentives/propose.html", **_ctx())


@bp.post("/propose")
@allow(PROPOSE_INCENTIVES)
def propose():
    data = form_dict("staff_id", "kind_id", "grounds", "source", "association_id")
    try:
        services.propose(data, current_user, can(EDIT_MENTORING))
    except Invalid as exc:
        return render("incentives/propose.html", status=422, **_ctx(errors=exc.fields, data=data))
    flash("Предложение о поощрении передано куратору.", "success")
    return redirect(url_for("incentives.index") if can(READ_MENTORING) else url_for("incentives.propose_page"))


@bp.post("/proposals/<int:incentive_proposal_id>/decline")
@allow(EDIT_MENTORING)
def decline(incentive_proposal_id: int):
    row = services.proposal(incentive_proposal_id)
    try:
        services.decline(row, request.form.get("decision_note", ""))
    except Invalid as exc:
        return render("incentives/index.html", status=422, **_ctx(errors=exc.fields))
    return redirect(url_for("incentives.index"))


@bp.post("/order")
@allow(EDIT_MENTORING)
def draft_order():
    data = {**form_dict("number", "issued_on", "title", "ack_due"), "proposal_ids": request.form.getlist("proposal_ids")}
    try:
        order = services.draft_order(g.institution, data)
    except Invalid as exc:
        db.session.rollback()
        return render("incentives/index.html", status=422, **_ctx(order_errors=exc.fields, order_data=data))
    flash("Проект приказа «О поощрении» готов: проверьте и передайте руководителю на издание.", "success")
    return redirect(url_for("mentoring.order_page", order_id=order.id))


def _on_issued(order, **_kw) -> None:
    services.on_order_issued(order)


def register(app) -> None:
    order_issued.connect(_on_issued)
    api.register_api(app)
    app.register_blueprint(bp)
    nav_item("institution", "Поощрения", "incentives.index", order=45, group=Group.PEOPLE)
