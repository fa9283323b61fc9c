"""Domain errors raised by services (and by tenants' lookups), mapped to answers once, in portal.errors.

A bottom module: it imports nothing of the project, so tenants/ and every feature can raise these.
"""
from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str = "", **kwargs):
        super().__init__(message)
        self.message = message
        self.extra = kwargs


class NotFound(DomainError):
    status, code = 404, "not_found"

    def __init__(self, message: str = "Запись не найдена."):
        super().__init__(message)


class Forbidden(DomainError):
    status, code = 403, "forbidden"

    def __init__(self, message: str = "Недостаточно прав для этого действия."):
        super().__init__(message)


class Conflict(DomainError):
    status, code = 409, "conflict"


class Invalid(DomainError):
    """Bad input. `fields` maps a field name to a Russian message that says what to do."""

    status, code = 422, "invalid"

    def __init__(self, field: str | None = None, message: str = "", *, fields: dict[str, str] | None = None,
                 rows: list | None = None):
        self.fields = dict(fields or {})
        if field:
            self.fields[field] = message
        self.rows = rows or []
        summary = message or "; ".join(self.fields.values()) or "Проверьте введённые данные."
        super().__init__(summary)
