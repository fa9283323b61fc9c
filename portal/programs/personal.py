"""Where a program's draft comes from: a built-in template, the institution's own template (kept, or copied from a
program that worked), or the mentee's own diagnosed difficulties and strengths through the catalogue
(portal.programs.catalogue). And the mentee's part in drafting (seed §5.1): items the mentee proposes, which the
mentor accepts into the plan or declines with a reason."""
from __future__ import annotations

from datetime import date, timedelta

from portal import clock
from portal.errors import Forbidden, Invalid
from portal.extensions import db
from portal.formatting import parse_ru_date, ru_date
from portal.mentoring.groups import is_mentor_of
from portal.mentoring.models import MenteeNeed
from portal.programs.models import PlanItem, PlanProposal, Program, ProgramTemplate
from portal.mentoring.states import DEFAULT_DIFFICULTIES, ProgramState
from portal.programs.catalogue import draft_items, label
from portal.programs.templates import TEMPLATES
from portal.staff.services import staff_of
from tenants.queries import find, get_or_404

PERSONAL = "difficulties"
OWN = "own:"


def diagnosis(staff_id: int) -> MenteeNeed | None:
    """The mentee's latest record in the bank of mentees: the difficulties diagnosed, in codes and in words."""
    return db.session.execute(db.select(MenteeNeed).where(MenteeNeed.staff_id == staff_id)
                              .order_by(MenteeNeed.id.desc())).scalars().first()


def _codes(data: dict, need: MenteeNeed | None) -> list[str]:
    chosen = [c for c in (data.get("difficulty_codes") or []) if c in DEFAULT_DIFFICULTIES]
    return list(dict.fromkeys(chosen or (need.difficulties if need else [])))


def personal_template(mentee_id: int, data: dict) -> dict:
    need = diagnosis(mentee_id)
    codes = _codes(data, need)
    if not codes:
        raise Invalid("difficulty_codes", "У наставляемого нет выявленных затруднений: отметьте их в банке "
                                          "наставляемых или в форме программы.")
    strengths = (data.get("strengths") or (need.strengths if need else "") or "").strip()
    words = "; ".join(label(c) for c in codes)
    own = (need.difficulties_text if need else "").strip()
    return {"title": "Персонализированная программа наставничества", "months": 9,
            "goal": "Преодоление выявленных профессиональных затруднений (" + words.lower() + ") и поддержка сильных "
                    "сторон наставляемого.",
            "tasks": "; ".join(f"преодолеть затруднение «{label(c)}»" for c in codes) + ".",
            "expected_results": "Затруднения преодолены: " + words.lower() + ".",
            "difficulties": words + (f". {own}" if own else ""), "strengths": strengths,
            "items": lambda start, end: draft_items(codes, strengths, start, end)}


def _weekly(items: list[dict]):
    def build(start: date, end: date) -> list[dict]:
        return [{"content": i["content"], "form": i.get("form", ""), "expected_result": i.get("expected_result", ""),
                 "report_form": i.get("report_form", ""), "difficulty": i.get("difficulty", ""),
                 "due_date": min(start + timedelta(weeks=int(i.get("weeks", 0))), end)} for i in items]
    return build


def template_for(key: str, mentee_id: int, data: dict) -> dict | None:
    if not key:
        return None
    if key == PERSONAL:
        return personal_template(mentee_id, data)
    if key.startswith(OWN):
        row = find(ProgramTemplate, key[len(OWN):]) if key[len(OWN):].isdigit() else None
        if row is None:
            raise Invalid("template", "Шаблон не найден.")
        return {"title": row.title, "goal": row.goal, "tasks": row.tasks, "expected_results": row.expected_results,
                "months": row.months, "items": _weekly(row.items)}
    tpl = TEMPLATES.get(key)
    if tpl is None:
        raise Invalid("template", "Шаблон не найден.")
    items = [{"weeks": w, "content": c, "form": f, "expected_result": r, "report_form": rep}
             for w, c, f, r, rep in tpl["items"]]
    return {**{k: tpl[k] for k in ("title", "goal", "tasks", "expected_results", "months")}, "items": _weekly(items)}


def template_options() -> list[tuple[str, str]]:
    own = db.session.execute(db.select(ProgramTemplate).order_by(ProgramTemplate.title)).scalars()
    return ([(PERSONAL, "По выявленным затруднениям наставляемого (каталог мероприятий)")]
            + [(OWN + str(t.id), f"Шаблон организации: {t.title}") for t in own]
            + [(key, t["title"]) for key, t in TEMPLATES.items()])


# --- the institution's own templates ------------------------------------------------------------------------------

def templates() -> list[ProgramTemplate]:
    return list(db.session.execute(db.select(ProgramTemplate).order_by(ProgramTemplate.title)).scalars())


def template(template_id: int) -> ProgramTemplate:
    return get_or_404(ProgramTemplate, template_id, "Шаблон не найден.")


def save_as_template(row: Program, title: str, user_id: int | None) -> ProgramTemplate:
    """Copy a program that worked: only a completed one, its plan kept as offsets from its start."""
    if row.state is not ProgramState.COMPLETED:
        raise Invalid("state", "В шаблон сохраняют завершённую программу — ту, что сработала.")
    title = " ".join((title or row.title).split())[:500]
    months = max(3, min(12, round((row.end_date - row.start_date).days / 30.4)))
    items = [{"weeks": (i.due_date - row.start_date).days // 7, "content": i.content, "form": i.form,
              "expected_result": i.expected_result, "report_form": i.report_form, "difficulty": i.difficulty}
             for i in row.items if i.status.value != "cancelled"]
    tpl = ProgramTemplate(title=title, goal=row.goal, tasks=row.tasks, expected_results=row.expected_results,
                          months=months, items=items, source_program_id=row.id, created_by_id=user_id)
    db.session.add(tpl)
    db.session.commit()
    return tpl


def delete_template(row: ProgramTemplate) -> None:
    db.session.delete(row)
    db.session.commit()


# --- the mentee proposes, the mentor accepts -------------------------------------------------------------------------

def proposals(row: Program) -> list[PlanProposal]:
    return list(db.session.execute(db.select(PlanProposal).where(PlanProposal.program_id == row.id)
                                   .order_by(PlanProposal.id)).scalars())


def propose(row: Program, data: dict, user) -> PlanProposal:
    me = staff_of(user)
    if me is None or me.id != row.mentee_staff_id:
        raise Forbidden("Мероприятие в план предлагает наставляемый этой программы.")
    if row.state not in (ProgramState.DRAFT, ProgramState.APPROVED, ProgramState.ACTIVE):
        raise Invalid("state", "Программа завершена: предложения не принимаются.")
    errors = {}
    content = (data.get("content") or "").strip()
    if not content:
        errors["content"] = "Опишите мероприятие."
    due = data["due_date"] if isinstance(data.get("due_date"), date) else parse_ru_date(data.get("due_date") or "")
    if due is None or not row.start_date <= due <= row.end_date:
        errors["due_date"] = f"Срок внутри периода программы: {ru_date(row.start_date)} — {ru_date(row.end_date)}."
    if errors:
        raise Invalid(fields=errors)
    out = PlanProposal(program_id=row.id, author_staff_id=me.id, content=content[:2000], due_date=due,
                       form=(data.get("form") or "").strip()[:200],
                       expected_result=(data.get("expected_result") or "").strip()[:2000],
                       report_form=(data.get("report_form") or "").strip()[:300])
    db.session.add(out)
    db.session.commit()
    return out


def proposal(row: Program, proposal_id: int) -> PlanProposal:
    return get_or_404(PlanProposal, proposal_id, "Предложение не найдено.", program_id=row.id)


def decide(row: Program, item: PlanProposal, accept: bool, note: str, user) -> PlanProposal:
    """The mentor (or the curator) accepts the item into the plan, or declines it with a reason. The mentee's
    proposal and the mentor's acceptance are the mutual consent a change of an approved program needs (§7.2)."""
    if not is_mentor_of(user, row.group):
        raise Forbidden("Предложение наставляемого принимает его наставник.")
    if item.state != "pending":
        raise Invalid("state", "По этому предложению уже принято решение.")
    if not accept and not (note or "").strip():
        raise Invalid("decision_note", "Укажите, почему предложение отклонено.")
    item.state = "accepted" if accept else "declined"
    item.decided_by_id, item.decided_at, item.decision_note = user.id, clock.now(), (note or "").strip()[:2000]
    if accept:
        plan_item = PlanItem(program_id=row.id, content=item.content, form=item.form, due_date=item.due_date,
                             expected_result=item.expected_result, report_form=item.report_form,
                             responsible="Наставляемый, наставник")
        db.session.add(plan_item)
        db.session.flush()
        item.item_id = plan_item.id
    db.session.commit()
    return item
