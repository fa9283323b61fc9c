"""The personal calendar: its page (issue, replace or revoke the subscription address) and the feed itself.

The feed's address is /calendar/feed.ics?key=<secret>: the secret is in the query string, which the access logs do
not write (deploy/gunicorn.conf.py logs the path only; nginx does not log this location at all)."""
from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask_login import current_user

from portal.calendar import api, services
from portal.documents.ics import ICS_MIME
from portal.navigation import Group, nav_item
from portal.web import render
from tenants.access import AUTHENTICATED, PUBLIC, allow
from tenants.context import institutions_scope

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


def _page(address: str = ""):
    return render("calendar/page.html", token=services.token_of(current_user.id), address=address)


@bp.get("")
@allow(AUTHENTICATED)
def page():
    return _page()


@bp.post("/token")
@allow(AUTHENTICATED)
def issue():
    # The address is shown in this response only (never in a redirect, a flash message or a log).
    token = services.issue(current_user.id)
    response = _page(url_for("calendar.feed", key=token, _external=True))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/token/revoke")
@allow(AUTHENTICATED)
def revoke():
    if services.revoke(current_user.id):
        flash("Адрес подписки отключён: календари больше не получат встречи.", "success")
    return redirect(url_for("calendar.page"))


@bp.get("/feed.ics")
@allow(PUBLIC)
def feed():
    user = services.user_for(request.args.get("key", ""))
    if user is None:
        # A revoked (or unknown) address answers with an empty calendar: subscribed clients then clear the events
        # they hold, where an error would leave them showing stale meetings. It tells nothing about anyone.
        data = services.empty_feed()
    else:
        with institutions_scope(services.institutions_of_user(user)):
            data = services.feed(user)
    return Response(data, mimetype="text/calendar", headers={
        "Content-Type": ICS_MIME, "Cache-Control": "private, max-age=300", "Referrer-Policy": "no-referrer",
        "Content-Disposition": "inline; filename=nastavnik.ics"})


def register(app) -> None:
    api.register_api(app)
    app.register_blueprint(bp)
    nav_item("platform", "Календарь", "calendar.page", order=90, group=Group.PERSONAL)
