"""Personalized programs in the JSON API (on the programs' API blueprint): a program drafted from a template, the
institution's own template or the mentee's diagnosed difficulties; the mentee's proposals and the mentor's
decision; a completed program saved as the institution's template. Same services and messages as the pages."""
from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from portal.api import base
from portal.api.schemas import BOOL, DAY, ID, INPUT_DAY, INT, STR, array, enum, obj, ref, strict, text
from portal.errors import Forbidden, Invalid
from portal.mentoring.groups import group as get_group
from portal.mentoring.states import DEFAULT_DIFFICULTIES
from portal.programs import personal
from portal.programs.api import _program, bp, item_json, program_json
from portal.programs import services as programs
from portal.programs.models import PlanItem
from tenants.access import WORK_ON_PLANS, WRITE_PROGRAMS, allow, current_roles
from tenants.queries import get_or_404


def proposal_json(p) -> dict:
    return {"id": p.id, "program_id": p.program_id, "content": p.content, "form": p.form,
            "due_date": p.due_date.isoformat(), "expected_result": p.expected_result, "report_form": p.report_form,
            "state": p.state, "decision_note": p.decision_note, "item_id": p.item_id}


def template_json(t) -> dict:
    return {"id": t.id, "key": personal.OWN + str(t.id), "title": t.title, "months": t.months,
            "items": len(t.items or []), "source_program_id": t.source_program_id}


def _s(body: dict, key: str) -> str:
    return "" if body.get(key) is None else str(body[key])


@bp.post("/programs")
@allow(WRITE_PROGRAMS)
def create_program():
    body = base.json_body()
    options = programs.groups_for_new_program(current_user, current_roles())
    group = next((gr for gr in options if gr.id == body.get("group_id")), None)
    if group is None:
        get_group(body.get("group_id") or 0)   # another institution's pair is a 404
        raise Invalid("group_id", "Выберите пару (группу), утверждённую приказом.")
    data = {k: _s(body, k) for k in (*programs.TEXT_FIELDS, "start_date", "end_date")}
    data["difficulty_codes"] = body.get("difficulty_codes") or []
    row = programs.create_program(group, body.get("mentee_staff_id"), data, _s(body, "template") or None)
    return jsonify(program_json(row, with_items=True)), 201


@bp.post("/programs/<int:program_id>/proposals")
@allow(WORK_ON_PLANS)
def propose_item(program_id: int):
    body = base.json_body()
    row = personal.propose(_program(program_id), {k: _s(body, k) for k in (
        "content", "form", "due_date", "expected_result", "report_form")}, current_user)
    return jsonify(proposal_json(row)), 201


@bp.post("/programs/<int:program_id>/proposals/<int:proposal_id>/decision")
@allow(WRITE_PROGRAMS)
def decide_proposal(program_id: int, proposal_id: int):
    body = base.json_body()
    row = _program(program_id)
    item = personal.decide(row, personal.proposal(row, proposal_id), bool(body.get("accept")), _s(body, "note"),
                           current_user)
    out = proposal_json(item)
    if item.item_id:
        out["item"] = item_json(get_or_404(PlanItem, item.item_id, "Мероприятие не найдено."))
    return jsonify(out)


@bp.get("/program-templates")
@allow(WRITE_PROGRAMS)
def list_templates():
    return jsonify({"items": [template_json(t) for t in personal.templates()],
                    "options": [{"key": k, "title": t} for k, t in personal.template_options()]})


@bp.post("/programs/<int:program_id>/template")
@allow(WRITE_PROGRAMS)
def save_template(program_id: int):
    body = base.json_body() if base.has_body() else {}
    row = _program(program_id)
    if not programs.may_edit(current_user, current_roles(), row):
        raise Forbidden("Программу ведут наставник этой пары, куратор и руководитель.")
    return jsonify(template_json(personal.save_as_template(row, _s(body, "title"), current_user.id))), 201


_tag = "mentoring"
base.OPENAPI_SCHEMAS.update({
    "ProgramInput": strict(["group_id", "mentee_staff_id", "start_date"], group_id=ID, mentee_staff_id=ID,
                           template=text(30, "difficulties — по затруднениям; own:<id> — шаблон организации; "
                                             "dou_young, school_young"),
                           difficulty_codes=array(enum(DEFAULT_DIFFICULTIES), 11),
                           title=text(500), difficulties=text(5000), strengths=text(5000), goal=text(5000),
                           tasks=text(5000), expected_results=text(5000), start_date=INPUT_DAY, end_date=INPUT_DAY),
    "PlanProposalInput": strict(["content", "due_date"], content=text(2000), form=text(200), due_date=INPUT_DAY,
                                expected_result=text(2000), report_form=text(300)),
    "PlanProposal": obj(id=INT, program_id=INT, content=STR, form=STR, due_date=DAY, expected_result=STR,
                        report_form=STR, state=STR, decision_note=STR, item_id={"type": ["integer", "null"]},
                        item=ref("PlanItem")),
    "PlanProposalDecision": strict(["accept"], accept=BOOL, note=text(2000)),
    "ProgramTemplate": obj(id=INT, key=STR, title=STR, months=INT, items=INT,
                           source_program_id={"type": ["integer", "null"]}),
    "ProgramTemplateList": obj(items=array(ref("ProgramTemplate")), options=array(obj(key=STR, title=STR))),
    "ProgramTemplateInput": strict(title=text(500)),
})
base.document("/i/{inst_slug}/programs", "post", "Программа: из шаблона или по выявленным затруднениям",
              body="ProgramInput", response="Program", tag=_tag, status="201")
base.document("/i/{inst_slug}/programs/{program_id}/proposals", "post", "Наставляемый предлагает мероприятие",
              body="PlanProposalInput", response="PlanProposal", tag=_tag, status="201")
base.document("/i/{inst_slug}/programs/{program_id}/proposals/{proposal_id}/decision", "post",
              "Наставник принимает или отклоняет предложение", body="PlanProposalDecision", response="PlanProposal",
              tag=_tag)
base.document("/i/{inst_slug}/program-templates", "get", "Шаблоны программ", response="ProgramTemplateList",
              tag=_tag)
base.document("/i/{inst_slug}/programs/{program_id}/template", "post", "Сохранить завершённую программу как шаблон",
              body="ProgramTemplateInput", body_required=False, response="ProgramTemplate", tag=_tag, status="201")
