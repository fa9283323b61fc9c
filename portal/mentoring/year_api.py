"""The seed's documents in the JSON API, on the mentoring API blueprint: forming a pair and recording consent,
importing the list, drafting an order with items, sub-items, appendices and the acknowledgement list, an item's
responsible person and due date, issuing; and closing the academic year. Same services, rules and messages as
the pages."""
from __future__ import annotations

from flask import g, jsonify, request
from flask_login import current_user

from portal.api import base
from portal.api.serializers import stamp
from portal.api.schemas import (ACADEMIC_YEAR, DAY, ID, INPUT_DAY, INT, NULLABLE_ID, STR, array, enum, obj, ref, strict,
                                text)
from portal.exceptions import Invalid
from portal.mentoring import groups as group_rules
from portal.mentoring import order_drafting
from portal.mentoring import orders as order_rules
from portal.mentoring.api import bp, group_json, order_json
from portal.mentoring.appendices import KINDS
from portal.mentoring.importer import import_groups, import_options
from portal.mentoring.states import GroupFormat, OrderKind
from portal.mentoring import years
from portal.years.services import check_year, next_year
from tenants.access import CLOSE_ACADEMIC_YEAR, EDIT_MENTORING, ISSUE_ORDERS, allow, current_roles


@bp.post("/groups")
@allow(EDIT_MENTORING)
def create_group():
    data = base.json_body()
    group = group_rules.form_group(g.institution, {**data, "form_id": str(data.get("form_id") or "")}, current_user.id)
    return jsonify(group_json(group)), 201


@bp.post("/groups/<int:group_id>/members/<int:member_id>/consent")
@allow(EDIT_MENTORING)
def record_consent(group_id: int, member_id: int):
    group = group_rules.group(group_id)
    group_rules.record_consent(group, member_id, base.json_body().get("consent_date") or "")
    return jsonify(group_json(group))


@bp.post("/groups/import")
@allow(EDIT_MENTORING)
def import_list():
    """multipart/form-data: `file` and the list's own fields (order, academic year, date, confirmation)."""
    file = request.files.get("file")
    if file is None or not file.filename:
        raise Invalid("file", "Приложите файл DOCX, XLSX или CSV в поле file (multipart/form-data).")
    fields = {k: (request.form.get(k) or "").strip() for k in
              ("list_date", "academic_year", "order_id", "order_number", "order_date", "confirm_over_limit")}
    result = import_groups(g.institution, file.filename, file.read(), current_user.id, options=import_options(fields))
    return jsonify({"groups_created": result.groups_created, "staff_created": result.staff_created,
                    "pairs_unchanged": result.pairs_unchanged, "summary": result.summary,
                    "group_ids": [gr.id for gr in result.groups],
                    "order_id": result.order.id if result.order is not None else None}), 201


def _order_body(data: dict) -> dict:
    out = {k: data.get(k) for k in ("kind", "number", "issued_on", "academic_year", "title", "preamble",
                                     "signer_position", "signer_name", "ack_due")}
    out["items"] = data.get("items") if isinstance(data.get("items"), list) else (data.get("items") or "")
    out["group_ids"] = data.get("group_ids") or []
    out["appendices"] = data.get("appendices") or []
    if data.get("acknowledgements") is not None:
        out["acknowledgements"] = data["acknowledgements"]
    return {k: ("" if v is None else v) for k, v in out.items()}


def full_order_json(o) -> dict:
    return order_json(o, with_acks=True)


@bp.post("/orders")
@allow(EDIT_MENTORING)
def create_order():
    row = order_drafting.save_order(_order_body(base.json_body()), g.institution)
    return jsonify(full_order_json(row)), 201


@bp.put("/orders/<int:order_id>")
@allow(EDIT_MENTORING)
def update_order(order_id: int):
    row = order_rules.order(order_id)
    order_drafting.save_order(_order_body(base.json_body()), g.institution, row)
    return jsonify(full_order_json(row))


@bp.post("/orders/<int:order_id>/items/<int:order_item_id>")
@allow(EDIT_MENTORING)
def set_order_item(order_id: int, order_item_id: int):
    row = order_rules.order(order_id)
    data = base.json_body()
    order_drafting.set_item(row, order_item_id, {"responsible_staff_id": str(data.get("responsible_staff_id") or ""),
                                           "responsible_text": data.get("responsible") or "",
                                           "due_date": data.get("due_date") or ""})
    return jsonify(full_order_json(row))


@bp.post("/orders/<int:order_id>/issue")
@allow(ISSUE_ORDERS)
def issue_order(order_id: int):
    row = order_rules.order(order_id)
    order_rules.issue(row, current_user, current_roles())
    return jsonify(full_order_json(row))


@bp.post("/academic-years/close")
@allow(CLOSE_ACADEMIC_YEAR)
def close_year():
    data = base.json_body()
    row = years.close_year(g.institution, check_year(str(data.get("year") or "")), current_user.id)
    return jsonify({"year": row.year, "closed_at": stamp(row.closed_at), "carried_groups": row.carried_groups,
                    "carried_programs": row.carried_programs, "next_order_id": row.next_order_id,
                    "next_year": next_year(row.year)})


_item_input = {"type": "object", "additionalProperties": False, "properties": {
    "text": text(5000), "responsible_staff_id": NULLABLE_ID, "responsible": text(300), "due_date": INPUT_DAY,
    "items": {"type": "array", "maxItems": 50, "items": {"$ref": "#/components/schemas/OrderItemInput"}}}}
base.OPENAPI_SCHEMAS.update({
    "GroupInput": strict(["mentor_ids", "mentee_ids", "form_id", "start_date"],
                         mentor_ids=array(ID, 10), mentee_ids=array(ID, 30), form_id=ID, form_ids=array(ID, 12),
                         external_mentor_ids=array(ID, 10), external_mentee_ids=array(ID, 30),
                         format=enum(GroupFormat._value2member_map_, nullable=True), start_date=INPUT_DAY,
                         end_date=INPUT_DAY, confirm_over_limit={"type": ["boolean", "null"]}),
    "ConsentInput": strict(["consent_date"], consent_date=text(10, "дата письменного согласия")),
    "ImportResult": obj(groups_created=INT, staff_created=INT, pairs_unchanged=INT, summary=STR,
                        group_ids=array(INT), order_id={"type": ["integer", "null"]}),
    "OrderItemInput": _item_input,
    "OrderItem": obj(id=INT, number=STR, text=STR, responsible_staff_id={"type": ["integer", "null"]},
                     responsible={"type": ["string", "null"]}, due_date=DAY,
                     items={"type": "array", "items": {"$ref": "#/components/schemas/OrderItem"}}),
    "OrderAppendixInput": strict(["kind"], kind=enum(KINDS), act_version_id=NULLABLE_ID, title=text(500),
                                 text=text(200_000)),
    "OrderAppendix": obj(number=INT, kind=STR, title=STR, act_version_id={"type": ["integer", "null"]}),
    "AcknowledgementInput": strict(["staff_id"], staff_id=ID, due_date=INPUT_DAY),
    "OrderInput": strict(["kind", "number", "issued_on", "items"],
                         kind=enum(OrderKind._value2member_map_, nullable=True), number=text(50),
                         issued_on=INPUT_DAY, academic_year={**ACADEMIC_YEAR, "type": ["string", "null"]},
                         title=text(500), preamble=text(10000),
                         items={"oneOf": [text(100_000, "нумерованный текст пунктов"),
                                          array(ref("OrderItemInput"), 100)]},
                         group_ids=array(ID, 500), appendices=array(ref("OrderAppendixInput"), 10),
                         acknowledgements={"oneOf": [array(ref("AcknowledgementInput"), 500), {"type": "null"}]},
                         ack_due=INPUT_DAY, signer_position=text(300), signer_name=text(300)),
    "OrderItemSet": strict(responsible_staff_id=NULLABLE_ID, responsible=text(300), due_date=INPUT_DAY),
    "YearClose": strict(["year"], year=ACADEMIC_YEAR),
    "YearClosed": obj(year=STR, closed_at={"type": ["string", "null"], "format": "date-time"}, carried_groups=INT, carried_programs=INT,
                      next_order_id={"type": ["integer", "null"]}, next_year=STR),
})
_tag = "mentoring"
base.document("/i/{inst_slug}/groups", "post", "Сформировать пару (группу)", body="GroupInput", response="Group",
              tag=_tag, status="201")
base.document("/i/{inst_slug}/groups/{group_id}/members/{member_id}/consent", "post",
              "Отметить письменное согласие участника", body="ConsentInput", response="Group", tag=_tag)
base.document("/i/{inst_slug}/groups/import", "post", "Загрузить список наставников и наставляемых (multipart)",
              response="ImportResult", tag=_tag, status="201")
base.OPENAPI_PATHS[base.API_PREFIX + "/i/{inst_slug}/groups/import"]["post"]["requestBody"] = {
    "required": True, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                                                       "properties": {
        "file": {"type": "string", "format": "binary"}, "order_id": {"type": "integer"},
        "order_number": {"type": "string"}, "order_date": {"type": "string"}, "academic_year": ACADEMIC_YEAR,
        "list_date": {"type": "string"}, "confirm_over_limit": {"type": "boolean"}}}}}}
base.document("/i/{inst_slug}/orders", "post", "Проект приказа: пункты с подпунктами, приложения, лист ознакомления",
              body="OrderInput", response="Order", tag=_tag, status="201")
base.document("/i/{inst_slug}/orders/{order_id}", "put", "Изменить проект приказа", body="OrderInput",
              response="Order", tag=_tag)
base.document("/i/{inst_slug}/orders/{order_id}/items/{order_item_id}", "post", "Ответственный и срок пункта приказа",
              body="OrderItemSet", response="Order", tag=_tag)
base.document("/i/{inst_slug}/orders/{order_id}/issue", "post", "Издать приказ", response="Order", tag=_tag)
base.document("/i/{inst_slug}/academic-years/close", "post", "Закрыть учебный год", body="YearClose",
              response="YearClosed", tag=_tag)
