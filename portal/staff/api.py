"""Staff in the JSON API: /api/v1/i/<slug>/staff — the same services and scoping as the pages."""
from __future__ import annotations

from datetime import date

from flask import jsonify, request
from flask_login import current_user

from portal.api import base
from portal.extensions import csrf
from portal.formatting import ru_date
from portal.staff import services
from portal.web import int_arg, page_arg
from tenants.access import EDIT_STAFF, READ_STAFF, allow

bp = base.api_institution_blueprint("staff_api", __name__, "/staff")


def staff_json(s, today: date) -> dict:
    return {"id": s.id, "last_name": s.last_name, "first_name": s.first_name, "middle_name": s.middle_name,
            "position": s.position, "position_label": s.position_label, "category": s.category.value,
            "category_date": s.category_date.isoformat() if s.category_date else None,
            "pedagogical_start": s.pedagogical_start.isoformat() if s.pedagogical_start else None,
            "institution_start": s.institution_start.isoformat() if s.institution_start else None,
            "experience": s.experience_words(today), "tenure_here": s.tenure_here_words(today),
            "young_specialist": s.is_young_specialist(today), "work_email": s.work_email,
            "archived": s.archived}


def _payload(data: dict, current=None) -> dict:
    """API dates are ISO (гггг-мм-дд); fields left out keep their current values on update."""
    merged = {f: getattr(current, f) for f in services.EDITABLE} if current is not None else {}
    if current is not None:
        merged["category"] = current.category.value
    for f in services.EDITABLE:
        if f in data:
            merged[f] = data[f] if data[f] is not None else ""
    if "young_specialist_manual" in data:
        merged["young_specialist_manual"] = {True: "yes", False: "no"}.get(data["young_specialist_manual"], "")
    elif current is not None:
        merged["young_specialist_manual"] = {True: "yes", False: "no"}.get(current.young_specialist_manual, "")
    for f in ("category_date", "pedagogical_start", "institution_start", "birth_date"):
        if isinstance(merged.get(f), date):
            merged[f] = ru_date(merged[f])
    return merged


@bp.route("", methods=["GET"])
@allow(READ_STAFF)
def list_staff():
    query = services.StaffQuery(q=request.args.get("q", "")[:100], sort=request.args.get("sort", "name"),
                                archived=request.args.get("archived") == "1")
    page = services.search(query, page_arg(), per_page=min(100, int_arg(
        "per_page", 50, message="Число записей на странице — целое от 1 до 100.")))
    today = date.today()
    return jsonify({"items": [staff_json(s, today) for s in page.items], "page": page.page, "pages": page.pages,
                    "total": page.total})


@bp.route("/<int:staff_id>", methods=["GET"])
@allow(READ_STAFF)
def get_staff(staff_id: int):
    return jsonify(staff_json(services.get_staff(staff_id, audit=True), date.today()))


@bp.route("", methods=["POST"])
@allow(EDIT_STAFF)
def create_staff():
    staff = services.create_staff(_payload(base.json_body()), current_user.id)
    return jsonify(staff_json(staff, date.today())), 201


@bp.route("/<int:staff_id>", methods=["PATCH", "PUT"])
@allow(EDIT_STAFF)
def update_staff(staff_id: int):
    staff = services.get_staff(staff_id)
    services.update_staff(staff, _payload(base.json_body(), staff), current_user.id)
    return jsonify(staff_json(staff, date.today()))


base.OPENAPI_SCHEMAS["Staff"] = {"type": "object", "properties": {
    "id": {"type": "integer"}, "last_name": {"type": "string"}, "first_name": {"type": "string"},
    "middle_name": {"type": "string"}, "position": {"type": "string"}, "position_label": {"type": "string"},
    "category": {"type": "string", "enum": ["none", "conformity", "first", "highest", "methodist", "mentor"]},
    "category_date": {"type": ["string", "null"], "format": "date"},
    "pedagogical_start": {"type": ["string", "null"], "format": "date"},
    "institution_start": {"type": ["string", "null"], "format": "date"},
    "experience": {"type": "string"}, "tenure_here": {"type": "string"}, "young_specialist": {"type": "boolean"},
    "work_email": {"type": "string"}, "archived": {"type": "boolean"}}}
_text = {"type": ["string", "null"], "maxLength": 100}
_input_day = {"type": ["string", "null"], "maxLength": 10,
              "description": "гггг-мм-дд (или дд.мм.гггг)"}
base.OPENAPI_SCHEMAS["StaffInput"] = {
    "type": "object", "required": ["last_name", "first_name", "position", "pedagogical_start", "institution_start"],
    "additionalProperties": False,
    "properties": {"last_name": _text, "first_name": _text, "middle_name": _text, "position": _text,
                   "category": {"type": ["string", "null"], "maxLength": 100}, "category_date": _input_day,
                   "pedagogical_start": _input_day, "institution_start": _input_day, "birth_date": _input_day,
                   "work_email": {"type": ["string", "null"], "maxLength": 254},
                   "young_specialist_manual": {"type": ["boolean", "null"]}}}
base.OPENAPI_SCHEMAS["StaffPatch"] = {**base.OPENAPI_SCHEMAS["StaffInput"], "required": []}
_q = [{"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 100}},
      {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}},
      {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
      {"name": "sort", "in": "query", "schema": {"type": "string", "enum": sorted(services.SORTS)}},
      {"name": "archived", "in": "query", "schema": {"type": "string", "enum": ["0", "1"]}}]
base.document("/i/{inst_slug}/staff", "get", "Педагогические работники организации", params=_q, response="Staff",
              list_response=True, tag="staff")
base.document("/i/{inst_slug}/staff", "post", "Добавить педагогического работника", body="StaffInput",
              response="Staff", tag="staff", status="201")
base.document("/i/{inst_slug}/staff/{staff_id}", "get", "Карточка педагогического работника", response="Staff", tag="staff")
base.document("/i/{inst_slug}/staff/{staff_id}", "patch", "Изменить педагогического работника", body="StaffPatch",
              response="Staff", tag="staff")
base.document("/i/{inst_slug}/staff/{staff_id}", "put", "Изменить педагогического работника (как PATCH)",
              body="StaffPatch", response="Staff", tag="staff")


def register(app) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
