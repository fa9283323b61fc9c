"""The page of speed mentoring (/i/<slug>/mentoring/speed, seed §2.3): a mentee (or several) and a mentor of a higher
level meet once, formed and held in one step (portal/pairs/speed.py)."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, request, url_for
from flask_login import current_user

from portal.errors import Invalid
from portal.extensions import db
from portal.mentoring import outsiders
from portal.mentoring.groups import staff_options
from portal.pairs.speed import speed_forms, speed_meeting
from portal.web import form_dict, render
from tenants.access import EDIT_MENTORING, allow
from tenants.routing import institution_blueprint

bp = institution_blueprint("speed", __name__, "/mentoring/speed")

SPEED_FIELDS = ("form_id", "held_on", "starts_at", "duration_minutes", "place", "link", "topic", "agenda", "notes",
                "held")


def _speed_ctx(**extra) -> dict:
    people = outsiders.people()
    return {"speed_forms": [(f.id, f.name) for f in speed_forms()], "staff": staff_options(),
            "outside_mentors": [p for p in people if p.kind == outsiders.PARTNER_EMPLOYEE],
            "outside_mentees": [p for p in people if p.kind == outsiders.STUDENT], "errors": {},
            "data": {"held_on": date.today().strftime("%d.%m.%Y"), "duration_minutes": "30"}, **extra}


@bp.get("")
@allow(EDIT_MENTORING)
def speed_page():
    return render("mentoring/speed.html", **_speed_ctx())


@bp.post("")
@allow(EDIT_MENTORING)
def hold_speed_meeting():
    data = {**form_dict(*SPEED_FIELDS), **{k: request.form.getlist(k) for k in (
        "mentor_ids", "mentee_ids", "external_mentor_ids", "external_mentee_ids")}}
    try:
        group, _meeting = speed_meeting(g.institution, data, current_user)
    except Invalid as exc:
        db.session.rollback()
        return render("mentoring/speed.html", status=422, **_speed_ctx(errors=exc.fields, data=data))
    flash(f"Встреча записана: пара № {group.id}, {group.state.label.lower()}.", "success")
    return redirect(url_for("pairs.page", group_id=group.id))
