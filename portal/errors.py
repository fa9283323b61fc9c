"""The one place that maps errors to pages, HTMX fragments and JSON; the domain errors themselves live in
portal.exceptions and are re-exported here."""
from __future__ import annotations

import logging
import uuid

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from portal.exceptions import Conflict, DomainError, Forbidden, Invalid, NotFound  # noqa: F401  (re-exported)
from tenants.context import NoTenantContext, TenantViolation

log = logging.getLogger(__name__)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_payload(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    body["error"].update(extra)
    return body


def _render(status: int, code: str, message: str, fields: dict | None = None, **extra):
    if wants_json():
        return jsonify(error_payload(code, message, fields, **extra)), status
    if request.headers.get("HX-Request"):
        return render_template("errors/_error.html", status=status, message=message, fields=fields), status
    return render_template("errors/page.html", status=status, message=message, **extra), status


HTTP_MESSAGES = {
    400: "Некорректный запрос.",
    401: "Требуется вход в систему.",
    403: "Недостаточно прав для просмотра этой страницы.",
    404: "Страница не найдена.",
    405: "Метод не поддерживается.",
    413: "Файл слишком большой.",
    422: "Проверьте введённые данные.",
    429: "Слишком много запросов. Повторите позже.",
}


def init_app(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        from portal.extensions import db

        db.session.rollback()  # a refused action leaves nothing half-saved, even what was already flushed
        fields = getattr(exc, "fields", None)
        extra = {"rows": exc.rows} if getattr(exc, "rows", None) else {}
        return _render(exc.status, exc.code, exc.message, fields, **extra)

    @app.errorhandler(TenantViolation)
    def tenant_violation(exc):
        log.warning("tenant violation blocked: %s", exc)
        return _render(404, "not_found", HTTP_MESSAGES[404])

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code in (301, 302, 303, 307, 308) or exc.code is None:
            return exc
        message = HTTP_MESSAGES.get(exc.code, exc.description or "Ошибка.")
        if exc.code == 400 and "CSRF" in (exc.description or ""):
            message = "Форма устарела. Обновите страницу и повторите."
        return _render(exc.code, exc.name.lower().replace(" ", "_"), message)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, NoTenantContext):
            log.error("query without tenant context on %s", request.endpoint)
        incident = uuid.uuid4().hex[:12]
        log.exception("unhandled error, incident %s", incident)
        return _render(500, "internal", f"Внутренняя ошибка. Номер обращения: {incident}.", incident=incident)
