"""The personal calendar subscription in the JSON API (its status, a new secret address, revoking it) — as on the
calendar's page."""
from __future__ import annotations

from flask import jsonify, url_for
from flask_login import current_user

from portal.api import base
from portal.calendar.services import issue, revoke, token_of
from portal.extensions import csrf
from tenants.access import AUTHENTICATED, allow

user_api = base.api_blueprint("calendar_api", __name__)


@user_api.get("/calendar")
@allow(AUTHENTICATED)
def calendar_status():
    row = token_of(current_user.id)
    return jsonify({"subscribed": row is not None, "since": row.created_at.isoformat() + "Z" if row else None,
                    "last_read_at": row.last_read_at.isoformat() + "Z" if row and row.last_read_at else None})


@user_api.post("/calendar/token")
@allow(AUTHENTICATED)
def calendar_issue():
    token = issue(current_user.id)
    response = jsonify({"address": url_for("calendar.feed", key=token, _external=True)})
    response.headers["Cache-Control"] = "no-store"
    return response, 201


@user_api.delete("/calendar/token")
@allow(AUTHENTICATED)
def calendar_revoke():
    revoke(current_user.id)
    return "", 204


base.OPENAPI_SCHEMAS.update({
    "CalendarSubscription": {"type": "object", "properties": {
        "subscribed": {"type": "boolean"}, "since": {"type": ["string", "null"], "format": "date-time"},
        "last_read_at": {"type": ["string", "null"], "format": "date-time"}, "address": {"type": "string"}}},
})
base.document("/calendar", "get", "Моя подписка на календарь встреч", response="CalendarSubscription", tag="calendar")
base.document("/calendar/token", "post", "Новый секретный адрес подписки (прежний отключается)",
              response="CalendarSubscription", status="201", tag="calendar")
base.document("/calendar/token", "delete", "Отключить подписку", status="204", tag="calendar")


def register_api(app) -> None:
    csrf.exempt(user_api)
    app.register_blueprint(user_api)
