"""The «Наставник» Flask application factory."""
from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path

from flask import Flask, g, jsonify, redirect, request, url_for
from flask_babel import gettext
from sqlalchemy.orm import joinedload
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.config import ROOT, build_config
from portal.extensions import babel, csrf, db, htmx, login_manager



# The features the app serves, wired in this order: each `portal/<name>/views.py` has `register(app)`. Listed, not
# found by walking the package, so that what the app is made of is read here (tests/test_explicit_wiring.py fails
# for a package with a views.py that is missing).
FEATURES = ("accounts", "admin", "annual", "api", "appeals", "association", "audit", "cabinet", "calendar", "consent",
            "contests", "home", "incentives", "institution_roadmap", "local_acts", "mentoring", "notifications",
            "pairs", "partners", "programs", "public", "region", "registry", "roadmap", "settings", "staff",
            "surveys")


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("PORTAL_INSTANCE", str(ROOT / "instance")),
                template_folder=str(ROOT / "templates"), static_folder="static")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(build_config(Path(app.instance_path), overrides))
    _trust_proxies(app)
    from portal import edge

    edge.install_converters(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=lambda: "ru")
    htmx.init_app(app)
    _init_login(app)

    import portal.models_registry  # noqa: F401  (every model imported once, for Alembic and relationships)
    from portal import errors, formatting, periods, schema, security
    from portal.audit.services import record_cross_tenant
    from tenants import rls, routing, scoping
    from tenants.context import set_audit_hook

    scoping.init_app(db)
    rls.check_key(app)
    set_audit_hook(record_cross_tenant)
    edge.init_app(app)       # unusable input is refused before anything reads it
    security.init_app(app)   # idle timeout runs before the tenant guard
    routing.init_app(app)
    errors.init_app(app)
    formatting.init_app(app)
    periods.init_app(app)
    _register_features(app)
    _init_templates(app)
    from portal.web import htmx_redirects

    htmx_redirects(app)

    from tasks.celery_app import celery_init_app

    celery_init_app(app)
    from portal.cli import init_app as init_cli

    init_cli(app)
    schema.init_app(app)     # `flask db …`, imported when asked for
    return app


def _trust_proxies(app: Flask) -> None:
    """The client address (throttling, audit) and scheme come from X-Forwarded-* only when the deployment says how
    many proxies stand in front (PORTAL_PROXY_HOPS, set in deploy/); by default nothing is trusted."""
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _register_features(app: Flask) -> None:
    for name in FEATURES:
        importlib.import_module(f"portal.{name}.views").register(app)


def _init_login(app: Flask) -> None:
    from portal.accounts.models import User

    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Войдите, чтобы продолжить."
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str):
        if request.path.startswith("/api/"):
            return None  # the API takes bearer tokens only: no cookie, so no CSRF surface
        try:
            raw_id, token = user_id.split(":", 1)
            # The user and the role bindings in one statement: every guarded request reads both.
            user = db.session.get(User, int(raw_id), options=[joinedload(User.bindings)])
        except (ValueError, TypeError):
            return None
        if user is None or user.session_token != token or not user.active:
            return None
        return user

    @login_manager.request_loader
    def load_from_token(req):
        if not req.path.startswith("/api/"):
            return None
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None
        from portal.accounts.services import user_for_api_token

        return user_for_api_token(header[7:].strip())

    @login_manager.unauthorized_handler
    def unauthorized():
        if request.path.startswith("/api/"):
            from portal.errors import error_payload

            return jsonify(error_payload("unauthorized", "Нужен токен доступа: заголовок Authorization: Bearer …")), 401
        target = url_for("accounts.login", next=request.full_path if request.method == "GET" else None)
        if request.headers.get("HX-Request"):
            response = app.response_class("", status=401)
            response.headers["HX-Redirect"] = target
            return response
        return redirect(target)


def _init_templates(app: Flask) -> None:
    from portal.navigation import desk_url, navigation
    from tenants.access import can

    app.jinja_env.globals["_"] = gettext
    app.jinja_env.globals["desk_url"] = desk_url  # the current context's front page for the current user
    app.jinja_env.globals["can"] = can  # {% if can('edit_mentoring') %}: the named rules of tenants.access
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def inject():
        return {"nav": navigation(), "current_institution": g.get("institution"), "current_municipality": g.get("municipality")}
