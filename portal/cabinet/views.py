"""«Моё наставничество»: the person's groups, programs, items due and overdue, orders to read; the meetings log."""
from __future__ import annotations

from datetime import date

from flask import request
from flask_login import current_user

from portal.cabinet import services
from portal.errors import Invalid, NotFound
from portal.mentoring.groups import group as get_group
from portal.mentoring.orders import is_overdue
from portal.mentoring.states import GroupFormat
from portal.navigation import Group, nav_item
from portal.programs.services import comments
from portal.uploads.services import attachments_of
from portal.web import form_dict, render
from tenants.access import IN_PAIRS, OVERSEE_MENTORING, SEE_OWN_MENTORING, VIEW_INSTITUTION, allow, can
from tenants.routing import institution_blueprint

bp = institution_blueprint("cabinet", __name__, "/my")


@bp.route("")
@allow(SEE_OWN_MENTORING)
def mine():
    return render_mine()


def render_mine():
    return render("cabinet/mine.html", view=services.overview(current_user), today=date.today(),
                  is_overdue=is_overdue, comments=comments, evidence=lambda it: attachments_of("plan_item", it.id),
                  can_mark=True, errors={})


def _meetings_ctx(group, **extra) -> dict:
    return {"group": group, "meetings": services.meetings(group), "formats": [(f.value, f.label) for f in GroupFormat],
            "can_add": services.is_member(current_user, group), "errors": {},
            "data": {"held_on": date.today().strftime("%d.%m.%Y"), "format": group.format.value,
                     "duration_minutes": "45"}, **extra}


@bp.route("/groups/<int:group_id>/meetings", methods=["GET", "POST"])
@allow(VIEW_INSTITUTION)
def meetings(group_id: int):
    group = get_group(group_id)
    if not can(OVERSEE_MENTORING) and not services.is_member(current_user, group):
        raise NotFound("Пара (группа) не найдена.")
    if request.method == "POST":
        data = form_dict("held_on", "duration_minutes", "format", "topic", "notes")
        try:
            services.add_meeting(group, data, current_user)
        except Invalid as exc:
            return render("cabinet/meetings.html", "cabinet/_meetings.html", status=422,
                          **_meetings_ctx(group, errors=exc.fields, data=data))
    return render("cabinet/meetings.html", "cabinet/_meetings.html", **_meetings_ctx(group))


def register(app) -> None:
    app.register_blueprint(bp)
    nav_item("institution", "Моё наставничество", "cabinet.mine", order=10, shown_to=IN_PAIRS, group=Group.MENTORING)
