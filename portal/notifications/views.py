"""The inbox: a person's notifications across all their institutions."""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

from portal.notifications import services
from portal.web import page_arg, render
from tenants.access import AUTHENTICATED, allow

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.route("/")
@allow(AUTHENTICATED)
def inbox():
    return render("notifications/inbox.html", page=services.inbox(current_user.id, page_arg()))


@bp.route("/<int:notification_id>/read", methods=["POST"])
@allow(AUTHENTICATED)
def read(notification_id: int):
    services.mark_read(current_user.id, notification_id)
    target = request.form.get("next", "")
    # Only a path of this site: never an open redirect.
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("notifications.inbox"))


@bp.route("/read-all", methods=["POST"])
@allow(AUTHENTICATED)
def read_all():
    services.mark_read(current_user.id)
    return redirect(url_for("notifications.inbox"))


def register(app) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def unread():
        if current_user.is_authenticated:
            return {"unread_notifications": services.unread_count(current_user.id)}
        return {"unread_notifications": 0}
