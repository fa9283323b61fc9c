"""Security headers, idle timeout and session checks applied to every response and request."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask, current_app, request, session
from flask_login import current_user, logout_user

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    response.headers.pop("Server", None)
    return response


def _idle_timeout():
    """Idle and absolute session limits; past them the user logs in again."""
    if not current_user.is_authenticated or request.endpoint == "static" or request.path.startswith("/api/"):
        return None
    now = datetime.now(timezone.utc).timestamp()
    last = session.get("seen")
    idle = current_app.config["IDLE_TIMEOUT"].total_seconds()
    absolute = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    if (last and now - last > idle) or (session.get("login_at") and now - session["login_at"] > absolute):
        logout_user()
        session.clear()
        return current_app.login_manager.unauthorized()
    session["seen"] = now
    return None


def init_app(app: Flask) -> None:
    app.before_request(_idle_timeout)
    app.after_request(_headers)
