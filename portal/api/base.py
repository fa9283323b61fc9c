"""API plumbing: blueprints, JSON input, the OpenAPI registry every feature adds its paths to."""
from __future__ import annotations

from flask import Blueprint, request

from portal.errors import Invalid
from tenants.routing import institution_blueprint, municipality_blueprint

API_PREFIX = "/api/v1"

# OpenAPI paths added by features: path -> {method: operation}
OPENAPI_PATHS: dict[str, dict] = {}
OPENAPI_SCHEMAS: dict[str, dict] = {}


def api_blueprint(name: str, import_name: str) -> Blueprint:
    return Blueprint(name, import_name, url_prefix=API_PREFIX)


def api_institution_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    bp = institution_blueprint(name, import_name, url_prefix)
    bp.url_prefix = API_PREFIX + bp.url_prefix
    return bp


def api_municipality_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    bp = municipality_blueprint(name, import_name, url_prefix)
    bp.url_prefix = API_PREFIX + bp.url_prefix
    return bp


def json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid("body", "Ожидается JSON-объект в теле запроса.")
    return data


def document(path: str, method: str, summary: str, *, params: list | None = None, body: str | None = None,
             response: str | None = None, list_response: bool = False, tag: str = "") -> None:
    op: dict = {"summary": summary, "tags": [tag] if tag else [], "security": [{"bearer": []}],
                "responses": {"401": {"$ref": "#/components/responses/Error"},
                              "404": {"$ref": "#/components/responses/Error"}}}
    parameters = [{"name": p, "in": "path", "required": True, "schema": {"type": "string" if p.endswith("slug") else "integer"}}
                  for p in _path_params(path)]
    parameters += params or []
    if parameters:
        op["parameters"] = parameters
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}}}
        op["responses"]["422"] = {"$ref": "#/components/responses/Error"}
    if response:
        schema = {"$ref": f"#/components/schemas/{response}"}
        if list_response:
            schema = {"type": "object", "properties": {"items": {"type": "array", "items": schema},
                                                       "page": {"type": "integer"}, "pages": {"type": "integer"},
                                                       "total": {"type": "integer"}}}
        op["responses"]["200"] = {"description": "OK", "content": {"application/json": {"schema": schema}}}
    OPENAPI_PATHS.setdefault(API_PREFIX + path, {})[method.lower()] = op


def _path_params(path: str) -> list[str]:
    import re

    return re.findall(r"{(\w+)}", path)
