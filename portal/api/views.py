"""API root: the OpenAPI document, the caller, the institutions the caller may see."""
from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from portal.api import base, validation
from portal.api.serializers import institution_json
from portal.extensions import csrf
from tenants.access import AUTHENTICATED, PUBLIC, allow
from portal.api.services import visible_institutions

bp = base.api_blueprint("api", __name__)


@bp.route("/openapi.json")
@allow(PUBLIC)
def openapi():
    return jsonify({
        "openapi": "3.1.0",
        "info": {"title": "«Наставник» API", "version": "1.0.0",
                 "description": "JSON API портала «Наставник». Авторизация: заголовок Authorization: Bearer <токен>."},
        "servers": [{"url": "/"}],
        "paths": dict(sorted(base.OPENAPI_PATHS.items())),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": {"type": "object", "required": ["error"], "properties": {"error": {
                "type": "object", "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                               "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}},
                        **base.OPENAPI_SCHEMAS},
            "responses": {"Error": {"description": "Ошибка", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Error"}}}}},
        },
    })


@bp.route("/me")
@allow(AUTHENTICATED)
def me():
    return jsonify({"id": current_user.id, "email": current_user.email, "full_name": current_user.full_name,
                    "roles": [{"role": b.role.value, "institution": b.institution.slug if b.institution else None,
                               "municipality": b.municipality.slug if b.municipality else None}
                              for b in current_user.bindings]})


@bp.route("/institutions")
@allow(AUTHENTICATED)
def institutions():
    return jsonify({"items": [institution_json(i) for i in visible_institutions(current_user)]})


base.OPENAPI_SCHEMAS["Institution"] = {"type": "object", "properties": {
    "id": {"type": "integer"}, "slug": {"type": "string"}, "full_name": {"type": "string"},
    "short_name": {"type": "string"}, "kind": {"type": "string", "enum": ["dou", "school", "do"]},
    "municipality": {"type": "string"}, "address": {"type": "string"}, "site_url": {"type": "string"}}}
base.document("/me", "get", "Текущий пользователь и его роли", tag="accounts")
base.document("/institutions", "get", "Организации, доступные пользователю", response="Institution",
              list_response=True, tag="institutions")


def register(app) -> None:
    validation.init_app(app)  # after the tenant guard: another tenant's URL is a 404 whatever its body
    csrf.exempt(bp)
    app.register_blueprint(bp)
