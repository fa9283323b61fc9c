"""The edge: input that no view, query or service can use is refused before any of them runs.

PostgreSQL text cannot hold a NUL byte and no encoder can write an unpaired surrogate, so either would end as
a database or encoding error deep inside a service; here it is a 400 (in the path) or a 422 (in the query
string, the form or the JSON body) with a Russian message. Integers in paths are bounded by the converter
below, so an id no column can hold matches no route (404) instead of overflowing the query.
"""
from __future__ import annotations

import re

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from portal.errors import DomainError, Invalid

# PostgreSQL `integer`: every id column. A larger number cannot name a row, so the route does not match.
INT4_MAX = 2**31 - 1
_BAD = re.compile("[\x00\ud800-\udfff]")
MESSAGE = ("Запрос содержит недопустимые символы (нулевой байт или непарный суррогат Юникода). "
           "Уберите их и повторите.")


class BadPath(DomainError):
    status, code = 400, "bad_request"

    def __init__(self):
        super().__init__(MESSAGE)


class BoundedIntConverter(IntegerConverter):
    """`<int:id>` that only matches what an `integer` column can hold."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=INT4_MAX if max is None else max, signed=signed)


def has_bad_characters(value) -> bool:
    """True for a string (or any string inside a list or dict, keys included) with a NUL or a lone surrogate."""
    if isinstance(value, str):
        return _BAD.search(value) is not None
    if isinstance(value, dict):
        return any(has_bad_characters(k) or has_bad_characters(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_bad_characters(v) for v in value)
    return False


def _first_bad_field() -> str | None:
    for name, value in request.args.items(multi=True):
        if has_bad_characters(name) or has_bad_characters(value):
            return name if not has_bad_characters(name) else "query"
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.is_json:
            body = request.get_json(silent=True)
            if has_bad_characters(body):
                return "body"
        else:
            for name, value in request.form.items(multi=True):
                if has_bad_characters(name) or has_bad_characters(value):
                    return name if not has_bad_characters(name) else "form"
            for name, upload in request.files.items(multi=True):
                if has_bad_characters(upload.filename or ""):
                    return name
    return None


def refuse_unusable_input():
    """before_request, first of all: nothing else has read the request yet."""
    if has_bad_characters(request.path):
        raise BadPath()
    field = _first_bad_field()
    if field is not None:
        raise Invalid(field, MESSAGE)


def install_converters(app: Flask) -> None:
    """Before any route is added: rules bind their converters when they are registered."""
    app.url_map.converters["int"] = BoundedIntConverter


def init_app(app: Flask) -> None:
    app.before_request(refuse_unusable_input)
