"""Personalized programs in the JSON API: the programs with their plan, adding an item, marking one done (and, in
personal_api, programs drafted from a template or the mentee's difficulties, proposals, templates). The same
services, rules and scoping as the pages: /api/v1/i/<slug>/programs…"""
from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from portal.api import base
from portal.api.schemas import DAY, INT, PAGING, STAMP, STR, obj, ref, text
from portal.api.serializers import iso_day, stamp
from portal.errors import Forbidden
from portal.extensions import csrf
from portal.programs import services as programs
from tenants.access import VIEW_INSTITUTION, WORK_ON_PLANS, WRITE_PROGRAMS, allow, current_roles

bp = base.api_institution_blueprint("programs_api", __name__)


def item_json(it) -> dict:
    return {"id": it.id, "content": it.content, "form": it.form, "due_date": iso_day(it.due_date),
            "difficulty": it.difficulty or None,
            "responsible": it.responsible, "expected_result": it.expected_result, "report_form": it.report_form,
            "status": it.status.value, "done_at": stamp(it.done_at), "done_note": it.done_note}


def program_json(p, with_items: bool = False) -> dict:
    out = {"id": p.id, "group_id": p.group_id, "mentee_staff_id": p.mentee_staff_id, "mentee": p.mentee.short_name,
           "title": p.title, "goal": p.goal, "start_date": iso_day(p.start_date), "end_date": iso_day(p.end_date),
           "state": p.state.value, "completion_reason": p.completion_reason.value if p.completion_reason else None,
           "items_total": len(p.items), "items_done": sum(1 for i in p.items if i.status.value == "done")}
    if with_items:
        out.update({"difficulties": p.difficulties, "strengths": p.strengths, "tasks": p.tasks,
                    "expected_results": p.expected_results, "items": [item_json(i) for i in p.items]})
    return out


# --- programs and plan items -------------------------------------------------------------------------------------

def _program(program_id: int):
    return programs.readable(current_user, current_roles(), programs.program(program_id))


@bp.route("/programs", methods=["GET"])
@allow(VIEW_INSTITUTION)
def list_programs():
    rows = [p for p in programs.programs() if programs.may_read(current_user, current_roles(), p)]
    return jsonify(base.paged(rows, program_json))


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


base.OPENAPI_SCHEMAS.update({
    "PlanItem": obj(id=INT, content=STR, form=STR, due_date=DAY, difficulty={"type": ["string", "null"]},
                    responsible=STR, expected_result=STR, report_form=STR, status=STR, done_at=STAMP,
                    done_note={"type": ["string", "null"]}),
    "PlanItemInput": {"type": "object", "required": ["content", "due_date"], "additionalProperties": False,
                      "properties": {"content": text(2000), "due_date": text(10, "гггг-мм-дд (или дд.мм.гггг)"),
                                     "form": text(200), "responsible": text(300), "expected_result": text(2000),
                                     "report_form": text(300)}},
    "PlanItemDone": {**obj(note=text(2000)), "additionalProperties": False},
    "Program": obj(id=INT, group_id=INT, mentee_staff_id=INT, mentee=STR, title=STR, goal=STR,
                   start_date=DAY, end_date=DAY, state=STR, completion_reason={"type": ["string", "null"]},
                   items_total=INT, items_done=INT, difficulties=STR, strengths=STR, tasks=STR,
                   expected_results=STR, items={"type": "array", "items": ref("PlanItem")}),
})
_tag = "mentoring"
base.document("/i/{inst_slug}/programs", "get", "Персонализированные программы", response="Program",
              list_response=True, params=PAGING, tag=_tag)
base.document("/i/{inst_slug}/programs/{program_id}", "get", "Программа с планом", response="Program", tag=_tag)
base.document("/i/{inst_slug}/programs/{program_id}/items", "post", "Добавить мероприятие плана", body="PlanItemInput",
              response="PlanItem", tag=_tag, status="201")
base.document("/i/{inst_slug}/programs/{program_id}/items/{item_id}/done", "post", "Отметить выполнение",
              body="PlanItemDone", body_required=False, response="PlanItem", tag=_tag)


def register_api(app) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
