"""API plumbing: blueprints, JSON input, the OpenAPI registry every feature adds its paths to."""
from __future__ import annotations

import re

from flask import Blueprint, request

from portal.errors import Invalid
from portal.web import page_arg
from tenants.routing import institution_blueprint, municipality_blueprint, region_blueprint

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


def api_region_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    bp = region_blueprint(name, import_name, url_prefix)
    bp.url_prefix = API_PREFIX + bp.url_prefix
    return bp


def per_page() -> int:
    try:
        return min(100, max(1, int(request.args.get("per_page", 50) or 50)))
    except (TypeError, ValueError):
        raise Invalid("per_page", "Число записей на странице — целое от 1 до 100.") from None


def paged(items: list, serialize) -> dict:
    """One page of a list (?page=, ?per_page= up to 100) with the count of pages and of items."""
    size = per_page()
    page = page_arg()
    chunk = items[(page - 1) * size: page * size]
    return {"items": [serialize(x) for x in chunk], "page": page, "pages": max(1, -(-len(items) // size)),
            "total": len(items)}


def strings(body: dict, *keys) -> dict:
    """The named fields a body has, as text (None as ""): what a form would post."""
    return {k: ("" if body.get(k) is None else str(body[k])) for k in keys if k in body}


def json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Invalid("body", "Ожидается JSON-объект в теле запроса.")
    return data


def has_body() -> bool:
    """Did the request carry a body at all (an optional body may be left out)?"""
    return bool(request.get_data(cache=True))


def binary_response(path: str, mime: str, description: str, method: str = "get") -> None:
    """Document a file download (DOCX, XLSX) as the 200 answer of an operation already published."""
    OPENAPI_PATHS[API_PREFIX + path][method]["responses"]["200"] = {
        "description": description, "content": {mime: {"schema": {"type": "string", "format": "binary"}}}}


def document(path: str, method: str, summary: str, *, params: list | None = None, body: str | None = None,
             response: str | None = None, list_response: bool = False, tag: str = "",
             body_required: bool = True, status: str = "200") -> None:
    """Publish one operation. Its body schema is also what portal.api.validation checks before the view runs."""
    error = {"$ref": "#/components/responses/Error"}
    op: dict = {"summary": summary, "tags": [tag] if tag else [], "security": [{"bearer": []}],
                "responses": {code: error for code in ("400", "401", "403", "404", "405", "422")}}
    parameters = [{"name": p, "in": "path", "required": True,
                   "schema": {"type": "string", "maxLength": 64} if p.endswith("slug")
                   else {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}
                  for p in _path_params(path)]
    parameters += params or []
    if parameters:
        op["parameters"] = parameters
    if body:
        op["requestBody"] = {"required": body_required,
                             "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}}}
    if status == "204":   # no body, so no content type to promise
        op["responses"][status] = {"description": "Нет содержимого"}
    elif not response:
        op["responses"][status] = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
    else:
        schema = {"$ref": f"#/components/schemas/{response}"}
        if list_response:
            schema = {"type": "object", "properties": {"items": {"type": "array", "items": schema},
                                                       "page": {"type": "integer"}, "pages": {"type": "integer"},
                                                       "total": {"type": "integer"}}}
        op["responses"][status] = {
            "description": "OK", "content": {"application/json": {"schema": schema}}}
    OPENAPI_PATHS.setdefault(API_PREFIX + path, {})[method.lower()] = op


def _path_params(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)
