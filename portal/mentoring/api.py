"""Mentoring in the JSON API: groups, orders with acknowledgements and the DOCX (the programs: portal/programs/api.py).
The same services, rules and scoping as the pages: /api/v1/i/<slug>/…"""
from __future__ import annotations

from flask import g, jsonify, request

from portal.api import base
from portal.api.schemas import PAGING
from portal.api.serializers import iso_day, stamp
from portal.documents.docx_layout import DOCX_MIME
from portal.documents.responses import docx_response
from portal.errors import Invalid
from portal.extensions import csrf
from portal.mentoring import groups as group_rules
from portal.mentoring import orders as order_rules
from portal.mentoring.appendices import title
from portal.mentoring.order_docx import render_order
from portal.mentoring.order_items import numbered
from portal.mentoring.states import GroupState
from tenants.access import READ_MENTORING, allow

bp = base.api_institution_blueprint("mentoring_api", __name__)


def group_json(gr) -> dict:
    return {"id": gr.id, "state": gr.state.value, "state_label": gr.state.label, "format": gr.format.value,
            "form": gr.form.name if gr.form else None, "form_ids": [f.id for f in gr.all_forms],
            "start_date": iso_day(gr.start_date), "end_date": iso_day(gr.end_date),
            "academic_year": gr.academic_year, "replaces_group_id": gr.replaces_group_id,
            "members": [{"id": m.id, "staff_id": m.staff_id, "external_id": m.external_id, "name": m.staff.short_name,
                         "role": m.role.value,
                         "consent_date": iso_day(m.consent_date), "joined_at": iso_day(m.joined_at), "left_at": iso_day(m.left_at),
                         "stated_tenure": m.stated_tenure or None} for m in gr.members]}


def items_json(order) -> list[dict]:
    """The items as a tree, each with its number («2.1.»), responsible person and due date."""
    nodes = {}
    roots = []
    for number, _depth, item in numbered(order.items):
        node = {"id": item.id, "number": number, "text": item.text, "responsible_staff_id": item.responsible_staff_id,
                "responsible": item.responsible.short_name if item.responsible else (item.responsible_text or None),
                "due_date": item.due_date.isoformat() if item.due_date else None, "items": []}
        nodes[item.id] = node
        (nodes[item.parent_id]["items"] if item.parent_id in nodes else roots).append(node)
    return roots


def appendices_json(order) -> list[dict]:
    return [{"number": n, "kind": a.kind, "title": title(a, order, g.institution), "act_version_id": a.act_version_id}
            for n, a in enumerate(order.appendices, start=1)]


def document_fields(o) -> dict:
    """What the order's detail adds to the list's fields: the tree of items, the appendices, the signature."""
    return {"academic_year": o.academic_year, "items": items_json(o), "appendices": appendices_json(o),
            "signer_position": o.signer_position, "signer_name": o.signer_name, "issued_by_id": o.issued_by_id,
            "delegation_id": o.delegation_id,
            "missing_consents": order_rules.missing_consents(o) if o.issued_at is None else []}


def order_json(o, with_acks: bool = False) -> dict:
    out = {"id": o.id, "kind": o.kind.value, "number": o.number, "issued_on": iso_day(o.issued_on), "title": o.title,
           "issued": o.issued_at is not None, "group_ids": [gr.id for gr in o.groups],
           "acknowledged": sum(1 for a in o.acknowledgements if a.acknowledged_at), "to_acknowledge": len(o.acknowledgements)}
    if with_acks:
        out.update({"preamble": o.preamble, "acknowledgements": [
            {"id": a.id, "staff_id": a.staff_id, "name": a.staff.short_name, "due_date": iso_day(a.due_date),
             "acknowledged_at": stamp(a.acknowledged_at), "on_paper": a.on_paper,
             "overdue": order_rules.is_overdue(a)} for a in o.acknowledgements], **document_fields(o)})
    return out


# --- groups ------------------------------------------------------------------------------------------------------

@bp.route("/groups", methods=["GET"])
@allow(READ_MENTORING)
def list_groups():
    state = request.args.get("state")
    if state and state not in GroupState._value2member_map_:
        raise Invalid("state", "Неизвестное состояние пары: " + ", ".join(GroupState._value2member_map_))
    return jsonify(base.paged(group_rules.groups([GroupState(state)] if state else None), group_json))


@bp.route("/groups/<int:group_id>", methods=["GET"])
@allow(READ_MENTORING)
def get_group(group_id: int):
    return jsonify(group_json(group_rules.group(group_id)))


# --- orders --------------------------------------------------------------------------------------------------------

@bp.route("/orders", methods=["GET"])
@allow(READ_MENTORING)
def list_orders():
    return jsonify(base.paged(order_rules.orders(), order_json))


@bp.route("/orders/<int:order_id>", methods=["GET"])
@allow(READ_MENTORING)
def get_order(order_id: int):
    return jsonify(order_json(order_rules.order(order_id), with_acks=True))


@bp.route("/orders/<int:order_id>/order.docx", methods=["GET"])
@allow(READ_MENTORING)
def order_docx(order_id: int):
    row = order_rules.order(order_id)
    return docx_response(render_order(row, g.institution), f"order-{row.id}.docx")


_str, _int, _bool = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
_day, _stamp = {"type": ["string", "null"], "format": "date"}, {"type": ["string", "null"], "format": "date-time"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _text(limit: int, description: str = "") -> dict:
    out = {"type": ["string", "null"], "maxLength": limit}
    return {**out, "description": description} if description else out


def _obj(**props) -> dict:
    return {"type": "object", "properties": props}


base.OPENAPI_SCHEMAS.update({
    "GroupMember": _obj(id=_int, staff_id={"type": ["integer", "null"]}, external_id={"type": ["integer", "null"]},
                        name=_str, role={"type": "string", "enum": ["mentor", "mentee"]},
                        consent_date=_day, joined_at=_day, left_at=_day, stated_tenure={"type": ["string", "null"]}),
    "Group": _obj(id=_int, state={"type": "string", "enum": list(GroupState._value2member_map_)}, state_label=_str,
                  format=_str, form={"type": ["string", "null"]}, form_ids={"type": "array", "items": _int},
                  start_date=_day, end_date=_day, academic_year=_str,
                  replaces_group_id={"type": ["integer", "null"]},
                  members={"type": "array", "items": _ref("GroupMember")}),
    "Acknowledgement": _obj(id=_int, staff_id=_int, name=_str, due_date=_day, acknowledged_at=_stamp,
                            on_paper=_bool, overdue=_bool),
    "Order": _obj(id=_int, kind=_str, number=_str, issued_on=_day, title=_str, issued=_bool,
                  group_ids={"type": "array", "items": _int}, acknowledged=_int, to_acknowledge=_int, preamble=_str,
                  items={"type": "array", "items": _ref("OrderItem")}, academic_year=_str,
                  appendices={"type": "array", "items": _ref("OrderAppendix")}, signer_position=_str,
                  signer_name=_str, issued_by_id={"type": ["integer", "null"]},
                  delegation_id={"type": ["integer", "null"]}, missing_consents={"type": "array", "items": _str},
                  acknowledgements={"type": "array", "items": _ref("Acknowledgement")}),
})
_tag = "mentoring"
_state = {"name": "state", "in": "query", "schema": base.OPENAPI_SCHEMAS["Group"]["properties"]["state"]}
base.document("/i/{inst_slug}/groups", "get", "Наставнические пары и группы", response="Group", list_response=True,
              params=[_state, *PAGING], tag=_tag)
base.document("/i/{inst_slug}/groups/{group_id}", "get", "Пара (группа)", response="Group", tag=_tag)
base.document("/i/{inst_slug}/orders", "get", "Приказы", response="Order", list_response=True, params=PAGING, tag=_tag)
base.document("/i/{inst_slug}/orders/{order_id}", "get", "Приказ с листом ознакомления", response="Order", tag=_tag)
base.document("/i/{inst_slug}/orders/{order_id}/order.docx", "get", "Приказ в формате DOCX", tag=_tag)
base.OPENAPI_PATHS[base.API_PREFIX + "/i/{inst_slug}/orders/{order_id}/order.docx"]["get"]["responses"]["200"] = {
    "description": "Файл приказа", "content": {DOCX_MIME: {"schema": {"type": "string", "format": "binary"}}}}


def register_api(app) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
