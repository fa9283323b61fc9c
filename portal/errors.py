"""The one place that maps errors to pages, HTMX fragments and JSON; the domain errors themselves live in
portal.exceptions and are re-exported here."""
from __future__ import annotations

import logging
import uuid

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from portal.exceptions import Conflict, DomainError, Forbidden, Invalid, NotFound  # noqa: F401  (re-exported)
from portal.extensions import db
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

    @app.errorhandler(DBAPIError)
    def database_error(exc: DBAPIError):
        # Whatever the database refused, the transaction is aborted: roll back first, so that rendering the
        # answer (which may query) and the teardown run on a usable connection.
        _rollback()
        incident = uuid.uuid4().hex[:12]
        if isinstance(exc, DataError):
            # A value the column cannot hold slipped past validation: bad input, not a crash.
            log.warning("database refused a value, incident %s: %s", incident, type(exc.orig).__name__)
            return _render(422, "invalid", "Значение не подходит для этого поля (слишком длинное или вне диапазона). "
                                           f"Номер обращения: {incident}.", incident=incident)
        if isinstance(exc, IntegrityError):
            log.warning("integrity error, incident %s: %s", incident, type(exc.orig).__name__)
            return _render(409, "conflict", "Такая запись уже есть или связана с другими. Обновите страницу и "
                                            f"повторите. Номер обращения: {incident}.", incident=incident)
        if isinstance(exc, OperationalError) and exc.connection_invalidated:
            log.error("database unavailable, incident %s: %s", incident, type(exc.orig).__name__)
            return _render(503, "unavailable", "База данных временно недоступна. Повторите через минуту. "
                                               f"Номер обращения: {incident}.", incident=incident)
        log.exception("database error, incident %s", incident)
        return _render(500, "internal", f"Внутренняя ошибка. Номер обращения: {incident}.", incident=incident)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if isinstance(exc, NoTenantContext):
            log.error("query without tenant context on %s", request.endpoint)
        _rollback()
        incident = uuid.uuid4().hex[:12]
        log.exception("unhandled error, incident %s", incident)
        return _render(500, "internal", f"Внутренняя ошибка. Номер обращения: {incident}.", incident=incident)


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection itself is gone; the pool replaces it on the next checkout
        log.warning("rollback after an error failed", exc_info=True)
