"""The pair's page (/i/<slug>/pairs/<group>): its meetings planned and logged, the .ics of each meeting, the
messages between mentor and mentee; and the institution's setting of the inactivity nudges."""
from __future__ import annotations

from datetime import date

from flask import Response, flash, g, redirect, request, url_for
from flask_login import current_user

from portal.documents.ics import ICS_MIME
from portal.errors import Invalid
from portal.extensions import db
from portal.mentoring.groups import group as get_group
from portal.pairs import api, nudges, services, speed_views
from portal.web import form_dict, render
from tenants.access import (KEEP_PAIR_MEETINGS, OVERSEE_MENTORING, SET_UP_MENTORING, VIEW_INSTITUTION,
                            WRITE_PAIR_MESSAGES, allow, can)
from tenants.routing import institution_blueprint

bp = institution_blueprint("pairs", __name__, "/pairs")
PLAN_FIELDS = ("held_on", "starts_at", "duration_minutes", "place", "link", "topic", "agenda")


def _group(group_id: int):
    return services.visible(current_user, can(OVERSEE_MENTORING), get_group(group_id))


def _page(group, errors=None, data=None, status=200, message_error=""):
    me = services.member_staff(current_user, group)
    return render("pairs/page.html", status=status, group=group, meetings=services.meetings(group),
                  messages=services.messages(group), me=me, today=date.today(),
                  may_plan=me is not None or can(OVERSEE_MENTORING), may_write=me is not None,
                  errors=errors or {}, data=data or {"duration_minutes": "45"}, message_error=message_error)


def _to_page(group):
    return redirect(url_for("pairs.page", group_id=group.id))


@bp.get("/<int:group_id>")
@allow(VIEW_INSTITUTION)
def page(group_id: int):
    return _page(_group(group_id))


@bp.post("/<int:group_id>/meetings")
@allow(KEEP_PAIR_MEETINGS)
def plan_meeting(group_id: int):
    group = _group(group_id)
    data = form_dict(*PLAN_FIELDS)
    try:
        row = services.plan_meeting(group, data, current_user, can(OVERSEE_MENTORING))
    except Invalid as exc:
        db.session.rollback()
        return _page(group, exc.fields, data, 422)
    flash(f"Встреча {row.held_on:%d.%m.%Y} запланирована; участники получили приглашение с файлом .ics.", "success")
    return _to_page(group)


@bp.post("/<int:group_id>/meetings/<int:pair_meeting_id>/held")
@allow(KEEP_PAIR_MEETINGS)
def log_meeting(group_id: int, pair_meeting_id: int):
    group = _group(group_id)
    row = services.meeting(group, pair_meeting_id)
    try:
        services.log_meeting(group, row, form_dict("duration_minutes", "notes"), current_user, can(OVERSEE_MENTORING))
    except Invalid as exc:
        db.session.rollback()
        return _page(group, {f"held-{row.id}": exc.message}, status=422)
    return _to_page(group)


@bp.post("/<int:group_id>/meetings/<int:pair_meeting_id>/cancel")
@allow(KEEP_PAIR_MEETINGS)
def cancel_meeting(group_id: int, pair_meeting_id: int):
    group = _group(group_id)
    row = services.meeting(group, pair_meeting_id)
    try:
        services.cancel_meeting(group, row, current_user, can(OVERSEE_MENTORING))
    except Invalid as exc:
        db.session.rollback()
        return _page(group, {f"held-{row.id}": exc.message}, status=422)
    return _to_page(group)


@bp.get("/<int:group_id>/meetings/<int:pair_meeting_id>/meeting.ics")
@allow(VIEW_INSTITUTION)
def meeting_ics(group_id: int, pair_meeting_id: int):
    row = services.meeting(_group(group_id), pair_meeting_id)
    return Response(services.meeting_ics(row, g.institution.short_name), headers={
        "Content-Type": ICS_MIME, "Content-Disposition": f"attachment; filename=meeting-{row.id}.ics"})


@bp.post("/<int:group_id>/messages")
@allow(WRITE_PAIR_MESSAGES)
def post_message(group_id: int):
    group = _group(group_id)
    try:
        services.post_message(group, request.form.get("text", ""), current_user)
    except Invalid as exc:
        db.session.rollback()
        return _page(group, status=422, message_error=exc.message)
    return redirect(url_for("pairs.page", group_id=group.id) + "#messages")


# --- the institution's setting of the nudges (on its settings page) -----------------------------------------------

@bp.post("/settings")
@allow(SET_UP_MENTORING)
def save_settings():
    try:
        nudges.save_settings(form_dict("inactivity_weeks"))
    except Invalid as exc:
        db.session.rollback()
        flash(exc.message, "danger")
    else:
        flash("Срок напоминаний о неактивных парах сохранён.", "success")
    return redirect(url_for("settings.index") + "#nudges")


def register(app) -> None:
    api.register_api(app)
    app.register_blueprint(bp)
    app.register_blueprint(speed_views.bp)
    app.jinja_env.globals["pair_inactivity_weeks"] = nudges.inactivity_weeks
