"""API input checked against the very schemas the OpenAPI document publishes, before any view or service runs.

Types, lengths, formats and enums of the JSON body and of the query parameters are checked here, so a service
never meets a list where it expects a name or a float where it expects a date. Which fields are required, and
how fields relate (a date inside the program's period), stay the services' rules: they report every missing
or wrong field at once, in Russian, the same way for the pages and the API.
"""
from __future__ import annotations

import re

from flask import Flask, request
from jsonschema import Draft202012Validator, FormatChecker, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from portal.api import base
from portal.errors import Invalid

_RULE_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
_TYPE_WORDS = {"string": "строка", "integer": "целое число", "number": "число", "boolean": "true или false",
               "object": "объект", "array": "список", "null": "null"}


def _skip_required(validator, required, instance, schema):
    return iter(())  # required fields are the services' rule (see the module docstring)


_EdgeValidator = validators.extend(Draft202012Validator, {"required": _skip_required})
_cache: dict[str, object] = {}


def openapi_path(rule: str) -> str:
    """Werkzeug's `/api/v1/i/<inst_slug>/staff/<int:staff_id>` → OpenAPI's `/api/v1/i/{inst_slug}/staff/{staff_id}`."""
    return _RULE_PARAM.sub(r"{\1}", rule)


def _validator(schema_ref: str):
    if schema_ref not in _cache:
        components = {"components": {"schemas": base.OPENAPI_SCHEMAS}}
        registry = Registry().with_resource("urn:api", Resource.from_contents(
            components, default_specification=DRAFT202012))
        _cache[schema_ref] = _EdgeValidator({"$ref": "urn:api" + schema_ref}, registry=registry,
                                            format_checker=FormatChecker())
    return _cache[schema_ref]


def _message(error) -> str:
    kind = error.validator
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return "Ожидается " + " или ".join(_TYPE_WORDS.get(t, t) for t in wanted if t != "null") + "."
    if kind == "maxLength":
        return f"Не длиннее {error.validator_value} символов."
    if kind == "minLength":
        return f"Не короче {error.validator_value} символов."
    if kind in ("maximum", "minimum"):
        return f"Число {'не больше' if kind == 'maximum' else 'не меньше'} {error.validator_value}."
    if kind == "enum":
        return "Одно из значений: " + ", ".join(str(v) for v in error.validator_value if v is not None) + "."
    if kind == "format":
        return {"date": "Дата в формате гггг-мм-дд.", "email": "Адрес электронной почты вида name@school.ru.",
                "date-time": "Дата и время в формате ISO 8601 с часовым поясом."}.get(
            error.validator_value, "Неверный формат.")
    if kind == "additionalProperties":
        return "Неизвестное поле."
    if kind == "maxItems":
        return f"Не больше {error.validator_value} элементов."
    return "Неверное значение."


def _field(error) -> str:
    path = [str(p) for p in error.absolute_path]
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        path.append(extra[0] if extra else "body")
    return ".".join(path) or "body"


def check_body(schema_name: str, body) -> None:
    errors = sorted(_validator(f"#/components/schemas/{schema_name}").iter_errors(body), key=lambda e: list(e.path))
    if errors:
        fields: dict[str, str] = {}
        for error in errors:
            fields.setdefault(_field(error), _message(error))
        raise Invalid(fields=fields)


def _check_query(parameters: list[dict]) -> None:
    fields: dict[str, str] = {}
    for p in parameters:
        if p.get("in") != "query" or p["name"] not in request.args:
            continue
        schema, raw = p.get("schema", {}), request.args.get(p["name"], "")
        if schema.get("type") == "integer":
            try:
                value = int(raw)
            except ValueError:
                fields[p["name"]] = "Ожидается целое число."
                continue
            low, high = schema.get("minimum"), schema.get("maximum")
            if (low is not None and value < low) or (high is not None and value > high):
                fields[p["name"]] = f"Целое число от {low} до {high}."
        elif schema.get("type") == "string":
            if "maxLength" in schema and len(raw) > schema["maxLength"]:
                fields[p["name"]] = f"Не длиннее {schema['maxLength']} символов."
            elif "enum" in schema and raw not in schema["enum"]:
                fields[p["name"]] = "Одно из значений: " + ", ".join(schema["enum"]) + "."
    if fields:
        raise Invalid(fields=fields)


def operation() -> dict | None:
    if request.url_rule is None:
        return None
    return base.OPENAPI_PATHS.get(openapi_path(request.url_rule.rule), {}).get(request.method.lower())


def validate_api_request():
    """before_request, after the tenant guard (another tenant's URL is a 404 whatever its body)."""
    if not request.path.startswith(base.API_PREFIX):
        return None
    op = operation()
    if op is None:
        return None
    _check_query(op.get("parameters", []))
    body_spec = op.get("requestBody")
    if body_spec is None or request.method in ("GET", "HEAD"):
        return None
    if "application/json" not in body_spec["content"]:
        return None  # a file upload (multipart/form-data): the service checks the file and its fields
    ref = body_spec["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    if not request.get_data(cache=True) and not body_spec.get("required", True):
        return None
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("body", "Ожидается JSON-объект в теле запроса.")
    check_body(ref, body)
    return None


def init_app(app: Flask) -> None:
    app.before_request(validate_api_request)
