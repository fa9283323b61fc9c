"""Requests to replace or relieve a mentor: people submit their own, the curator or head decides."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_login import current_user

from portal.accounts.services import user_ids_with_roles
from portal.appeals import services
from portal.errors import Invalid
from portal.mentoring.groups import staff_options
from portal.navigation import Group, nav_item
from portal.staff.services import staff_of
from portal.web import form_dict, render
from tenants.access import DECIDE_REQUESTS, IN_PAIRS, OVERSEE_MENTORING, VIEW_INSTITUTION, allow, can
from tenants.routing import institution_blueprint

bp = institution_blueprint("appeals", __name__, "/requests")


def _ctx(**extra) -> dict:
    overseer = can(OVERSEE_MENTORING)
    me = staff_of(current_user)
    participant = can(IN_PAIRS) and me is not None
    return {"rows": services.appeals(None if overseer else (me.id if me else -1)),
            "my_groups": services.my_live_groups(current_user) if participant else [],
            "staff": staff_options() if can(DECIDE_REQUESTS) else [],
            "errors": {}, "data": {}, "decide_errors": {}, **extra}


def _deciders() -> list[int]:
    return user_ids_with_roles(g.institution.id, DECIDE_REQUESTS.roles)


@bp.route("", methods=["GET", "POST"])
@allow(VIEW_INSTITUTION)
def index():
    if request.method == "POST":
        data = form_dict("group_id", "reason")
        try:
            services.submit(current_user, data["group_id"], data["reason"], _deciders())
        except Invalid as exc:
            return render("appeals/index.html", status=422, **_ctx(errors=exc.fields, data=data))
        flash("Заявление подано. Куратор рассмотрит его и сообщит решение.", "success")
        return redirect(url_for("appeals.index"))
    return render("appeals/index.html", **_ctx())


@bp.route("/<int:appeal_id>/decide", methods=["POST"])
@allow(DECIDE_REQUESTS)
def decide(appeal_id: int):
    row = services.appeal(appeal_id)
    data = form_dict("decision", "new_mentor_id", "decision_note", "confirm_over_limit")
    try:
        if data["decision"] == "approve":
            services.approve(row, data["new_mentor_id"], data["decision_note"], current_user.id, g.institution,
                             confirm_over_limit=bool(data["confirm_over_limit"]))
            flash("Заявление удовлетворено: сформирована новая пара и проект приказа о замене наставника.", "success")
            return redirect(url_for("mentoring.order_page", order_id=row.order_id))
        services.reject(row, data["decision_note"], current_user.id)
    except Invalid as exc:
        return render("appeals/index.html", status=422, **_ctx(decide_errors={row.id: exc.fields}))
    flash("Заявление отклонено, заявитель уведомлён.", "success")
    return redirect(url_for("appeals.index"))


def register(app) -> None:
    app.register_blueprint(bp)
    nav_item("institution", "Заявления", "appeals.index", order=60, group=Group.MENTORING)
