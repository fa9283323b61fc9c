"""Mentoring in the JSON API: groups, programs with plan items, orders with acknowledgements and the DOCX.
The same services, rules and scoping as the pages: /api/v1/i/<slug>/…"""
from __future__ import annotations

from flask import g, jsonify, request
from flask_login import current_user

from portal.api import base
from portal.api.serializers import stamp
from portal.documents.docx_layout import DOCX_MIME
from portal.documents.responses import docx_response
from portal.errors import Forbidden, Invalid
from portal.extensions import csrf
from portal.mentoring import groups as group_rules
from portal.mentoring import orders as order_rules
from portal.mentoring.order_docx import render_order
from portal.mentoring.states import GroupState
from portal.programs import services as programs
from portal.web import page_arg
from tenants.access import READ_MENTORING, VIEW_INSTITUTION, WORK_ON_PLANS, WRITE_PROGRAMS, allow, current_roles

bp = base.api_institution_blueprint("mentoring_api", __name__)


def _iso(d):
    return d.isoformat() if d else None


def _per_page() -> int:
    try:
        return min(100, max(1, int(request.args.get("per_page", 50) or 50)))
    except (TypeError, ValueError):
        raise Invalid("per_page", "Число записей на странице — целое от 1 до 100.") from None


def _paged(items: list, serialize) -> dict:
    per_page = _per_page()
    page = page_arg()
    chunk = items[(page - 1) * per_page: page * per_page]
    return {"items": [serialize(x) for x in chunk], "page": page, "pages": max(1, -(-len(items) // per_page)),
            "total": len(items)}


def group_json(gr) -> dict:
    return {"id": gr.id, "state": gr.state.value, "state_label": gr.state.label, "format": gr.format.value,
            "form": gr.form.name if gr.form else None, "form_ids": [f.id for f in gr.all_forms],
            "start_date": _iso(gr.start_date), "end_date": _iso(gr.end_date),
            "academic_year": gr.academic_year, "replaces_group_id": gr.replaces_group_id,
            "members": [{"id": m.id, "staff_id": m.staff_id, "external_id": m.external_id, "name": m.staff.short_name,
                         "role": m.role.value,
                         "consent_date": _iso(m.consent_date), "joined_at": _iso(m.joined_at), "left_at": _iso(m.left_at),
                         "stated_tenure": m.stated_tenure or None} for m in gr.members]}


def item_json(it) -> dict:
    return {"id": it.id, "content": it.content, "form": it.form, "due_date": _iso(it.due_date),
            "difficulty": it.difficulty or None,
            "responsible": it.responsible, "expected_result": it.expected_result, "report_form": it.report_form,
            "status": it.status.value, "done_at": stamp(it.done_at), "done_note": it.done_note}


def program_json(p, with_items: bool = False) -> dict:
    out = {"id": p.id, "group_id": p.group_id, "mentee_staff_id": p.mentee_staff_id, "mentee": p.mentee.short_name,
           "title": p.title, "goal": p.goal, "start_date": _iso(p.start_date), "end_date": _iso(p.end_date),
           "state": p.state.value, "completion_reason": p.completion_reason.value if p.completion_reason else None,
           "items_total": len(p.items), "items_done": sum(1 for i in p.items if i.status.value == "done")}
    if with_items:
        out.update({"difficulties": p.difficulties, "strengths": p.strengths, "tasks": p.tasks,
                    "expected_results": p.expected_results, "items": [item_json(i) for i in p.items]})
    return out


def order_json(o, with_acks: bool = False) -> dict:
    out = {"id": o.id, "kind": o.kind.value, "number": o.number, "issued_on": _iso(o.issued_on), "title": o.title,
           "issued": o.issued_at is not None, "group_ids": [gr.id for gr in o.groups],
           "acknowledged": sum(1 for a in o.acknowledgements if a.acknowledged_at), "to_acknowledge": len(o.acknowledgements)}
    if with_acks:
        from portal.mentoring.year_api import document_fields

        out.update({"preamble": o.preamble, "acknowledgements": [
            {"id": a.id, "staff_id": a.staff_id, "name": a.staff.short_name, "due_date": _iso(a.due_date),
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
    return jsonify(_paged(group_rules.groups([GroupState(state)] if state else None), group_json))


@bp.route("/groups/<int:group_id>", methods=["GET"])
@allow(READ_MENTORING)
def get_group(group_id: int):
    return jsonify(group_json(group_rules.group(group_id)))


# --- programs and plan items -------------------------------------------------------------------------------------

def _program(program_id: int):
    return programs.readable(current_user, current_roles(), programs.program(program_id))


@bp.route("/programs", methods=["GET"])
@allow(VIEW_INSTITUTION)
def list_programs():
    rows = [p for p in programs.programs() if programs.may_read(current_user, current_roles(), p)]
    return jsonify(_paged(rows, program_json))


@bp.route("/programs/<int:program_id>", methods=["GET"])
@allow(VIEW_INSTITUTION)
def get_program(program_id: int):
    return jsonify(program_json(_program(program_id), with_items=True))


@bp.route("/programs/<int:program_id>/items", methods=["POST"])
@allow(WRITE_PROGRAMS)
def add_item(program_id: int):
    row = _program(program_id)
    if not programs.may_edit(current_user, current_roles(), row):
        raise Forbidden("План ведут наставник этой пары, куратор и руководитель.")
    data = base.json_body()
    return jsonify(item_json(programs.add_item(row, {k: data.get(k) for k in (
        "content", "due_date", "form", "responsible", "expected_result", "report_form")}))), 201


@bp.route("/programs/<int:program_id>/items/<int:item_id>/done", methods=["POST"])
@allow(WORK_ON_PLANS)
def item_done(program_id: int, item_id: int):
    row = _program(program_id)
    if not programs.may_mark(current_user, current_roles(), row):
        raise Forbidden("Отмечает выполнение наставляемый, его наставник или куратор.")
    it = programs.item(row, item_id)
    data = request.get_json(silent=True)
    note = data.get("note") if isinstance(data, dict) else None
    return jsonify(item_json(programs.mark_done(it, str(note or ""), current_user)))


# --- orders --------------------------------------------------------------------------------------------------------

@bp.route("/orders", methods=["GET"])
@allow(READ_MENTORING)
def list_orders():
    return jsonify(_paged(order_rules.orders(), order_json))


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
    "PlanItem": _obj(id=_int, content=_str, form=_str, due_date=_day, difficulty={"type": ["string", "null"]}, responsible=_str, expected_result=_str,
                     report_form=_str, status=_str, done_at=_stamp, done_note={"type": ["string", "null"]}),
    "PlanItemInput": {"type": "object", "required": ["content", "due_date"], "additionalProperties": False,
                      "properties": {"content": _text(2000), "due_date": _text(10, "гггг-мм-дд (или дд.мм.гггг)"),
                                     "form": _text(200), "responsible": _text(300), "expected_result": _text(2000),
                                     "report_form": _text(300)}},
    "PlanItemDone": {**_obj(note=_text(2000)), "additionalProperties": False},
    "Program": _obj(id=_int, group_id=_int, mentee_staff_id=_int, mentee=_str, title=_str, goal=_str,
                    start_date=_day, end_date=_day, state=_str, completion_reason={"type": ["string", "null"]},
                    items_total=_int, items_done=_int, difficulties=_str, strengths=_str, tasks=_str,
                    expected_results=_str, items={"type": "array", "items": _ref("PlanItem")}),
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
_paging = [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}},
           {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}}]
_state = {"name": "state", "in": "query", "schema": base.OPENAPI_SCHEMAS["Group"]["properties"]["state"]}
base.document("/i/{inst_slug}/groups", "get", "Наставнические пары и группы", response="Group", list_response=True,
              params=[_state, *_paging], tag=_tag)
base.document("/i/{inst_slug}/groups/{group_id}", "get", "Пара (группа)", response="Group", tag=_tag)
base.document("/i/{inst_slug}/programs", "get", "Персонализированные программы", response="Program",
              list_response=True, params=_paging, tag=_tag)
base.document("/i/{inst_slug}/programs/{program_id}", "get", "Программа с планом", response="Program", tag=_tag)
base.document("/i/{inst_slug}/programs/{program_id}/items", "post", "Добавить мероприятие плана", body="PlanItemInput",
              response="PlanItem", tag=_tag, status="201")
base.document("/i/{inst_slug}/programs/{program_id}/items/{item_id}/done", "post", "Отметить выполнение",
              body="PlanItemDone", body_required=False, response="PlanItem", tag=_tag)
base.document("/i/{inst_slug}/orders", "get", "Приказы", response="Order", list_response=True, params=_paging, tag=_tag)
base.document("/i/{inst_slug}/orders/{order_id}", "get", "Приказ с листом ознакомления", response="Order", tag=_tag)
base.document("/i/{inst_slug}/orders/{order_id}/order.docx", "get", "Приказ в формате DOCX", tag=_tag)
base.OPENAPI_PATHS[base.API_PREFIX + "/i/{inst_slug}/orders/{order_id}/order.docx"]["get"]["responses"]["200"] = {
    "description": "Файл приказа", "content": {DOCX_MIME: {"schema": {"type": "string", "format": "binary"}}}}


def register_api(app) -> None:
    from portal.mentoring import forms_api, year_api  # noqa: F401  (forms and outside people; the seed's documents)
    from portal.programs import personal_api  # noqa: F401  (programs from difficulties, proposals, templates)

    csrf.exempt(bp)
    app.register_blueprint(bp)
