"""Rules of personalized programs: the 3–12 months bound, states, plan items, completion, mutual consent."""
from __future__ import annotations

from datetime import date

from blinker import Namespace
from flask import has_request_context, url_for
from sqlalchemy.orm import joinedload, selectinload

from portal import clock
from portal.errors import Forbidden, Invalid, NotFound
from portal.extensions import db
from portal.formatting import parse_ru_date, ru_date
from portal.mentoring.forms_rules import one_off
from portal.mentoring.groups import change_state as group_state
from portal.mentoring.groups import is_mentor_of
from portal.mentoring.models import GroupMember, MentoringGroup
from portal.mentoring.states import (PROGRAM_TRANSITIONS, CompletionReason, GroupState, MemberRole, PlanItemStatus,
                                     ProgramState)
from portal.notifications.services import notify_staff
from portal.periods import add_months
from portal.programs import personal
from portal.programs.models import PlanItem, PlanItemComment, Program, ProgramChange
from portal.staff.services import staff_of
from portal.surveys.services import invite_for_program
from portal.mentoring.years import group_in, with_people
from portal.years.services import bounds
from tenants.access import APPROVE_PROGRAMS, EDIT_MENTORING, OVERSEE_MENTORING
from tenants.models import Institution
from tenants.queries import get_or_404

MIN_MONTHS, MAX_MONTHS = 3, 12
# A program ended (completed or terminated), sent after the commit with the institution and the day: the roadmap,
# which sits above the programs and reads them, makes the work «по итогам реализации программы».
program_ended = Namespace().signal("program-ended")
TEXT_FIELDS = ("title", "difficulties", "strengths", "goal", "tasks", "expected_results")


def check_period(start: date | None, end: date | None, errors: dict) -> None:
    """Seed §1.2: a program lasts from 3 months to 1 year: start + 3 months ≤ end ≤ start + 12 months."""
    if start is None:
        errors["start_date"] = "Дата начала в формате дд.мм.гггг."
    if end is None:
        errors["end_date"] = "Дата окончания в формате дд.мм.гггг."
    if start and end:
        if end < add_months(start, MIN_MONTHS):
            errors["end_date"] = (f"Программа короче 3 месяцев: окончание не раньше "
                                  f"{ru_date(add_months(start, MIN_MONTHS))} (положение, п. 1.2).")
        elif end > add_months(start, MAX_MONTHS):
            errors["end_date"] = (f"Программа длиннее 1 года: окончание не позже "
                                  f"{ru_date(add_months(start, MAX_MONTHS))} (положение, п. 1.2).")


# What a program's page and the list walk: the mentee, the pair with its members and their staff, the plan.
def _page_load() -> tuple:
    return (joinedload(Program.mentee),
            with_people(selectinload(Program.group).selectinload(MentoringGroup.members)),
            selectinload(Program.items))


def program(program_id: int) -> Program:
    return get_or_404(Program, program_id, "Программа не найдена.", options=_page_load())


def programs(states=None) -> list[Program]:
    stmt = db.select(Program).options(*_page_load()).order_by(Program.end_date, Program.id)
    if states:
        stmt = stmt.where(Program.state.in_(list(states)))
    return list(db.session.execute(stmt).scalars())


# --- who may do what ------------------------------------------------------------------------------------------

def may_read(user, roles: set, row: Program) -> bool:
    if OVERSEE_MENTORING.admits(roles):
        return True
    me = staff_of(user)
    if me is None:
        return False
    return me.id == row.mentee_staff_id or is_mentor_of(user, row.group)


def may_edit(user, roles: set, row: Program) -> bool:
    return EDIT_MENTORING.admits(roles) or is_mentor_of(user, row.group)


def may_mark(user, roles: set, row: Program) -> bool:
    """Plan items are marked done by the program's mentee, its mentor, the curator or the head."""
    me = staff_of(user)
    return may_edit(user, roles, row) or (me is not None and me.id == row.mentee_staff_id)


def readable(user, roles: set, row: Program) -> Program:
    if not may_read(user, roles, row):
        raise NotFound("Программа не найдена.")  # another mentee's program does not exist for you
    return row


# --- creating and editing ---------------------------------------------------------------------------------------

def _clean(data: dict, group: MentoringGroup) -> dict:
    errors: dict[str, str] = {}
    out = {f: (data.get(f) or "").strip() for f in TEXT_FIELDS}
    if not out["title"]:
        errors["title"] = "Укажите название программы."
    if not out["goal"]:
        errors["goal"] = "Сформулируйте цель программы."
    start = data["start_date"] if isinstance(data.get("start_date"), date) else parse_ru_date(data.get("start_date") or "")
    end = data["end_date"] if isinstance(data.get("end_date"), date) else parse_ru_date(data.get("end_date") or "")
    check_period(start, end, errors)
    out["start_date"], out["end_date"] = start, end
    if errors:
        raise Invalid(fields=errors)
    return out


def create_program(group: MentoringGroup, mentee_staff_id, data: dict, template: str | None = None) -> Program:
    if one_off(group):
        raise Invalid("group_id", "Скоростное наставничество — одна встреча: программа для него не составляется.")
    if group.state not in (GroupState.APPROVED, GroupState.ACTIVE):
        raise Invalid("group_id", "Программу пишут для утверждённой приказом или работающей пары.")
    mentee_ids = {m.staff_id for m in group.members
                  if m.role is MemberRole.MENTEE and m.left_at is None and m.staff_id is not None}
    try:
        mentee_id = int(mentee_staff_id)
    except (TypeError, ValueError):
        mentee_id = None
    if mentee_id not in mentee_ids:
        raise Invalid("mentee_staff_id", "Выберите наставляемого этой пары.")
    if db.session.execute(db.select(Program.id).where(
            Program.group_id == group.id, Program.mentee_staff_id == mentee_id,
            Program.state.in_([ProgramState.DRAFT, ProgramState.APPROVED, ProgramState.ACTIVE]))).first():
        raise Invalid("mentee_staff_id", "У этого наставляемого уже есть действующая программа в этой паре.")
    tpl = personal.template_for(template or "", mentee_id, data)
    if tpl:
        data = {**{k: tpl[k] for k in ("title", "goal", "tasks", "expected_results", "difficulties", "strengths")
                   if tpl.get(k)}, **{k: v for k, v in data.items() if v}}
        if not data.get("end_date") and data.get("start_date"):
            start = parse_ru_date(data["start_date"]) if isinstance(data["start_date"], str) else data["start_date"]
            if start:
                data["end_date"] = add_months(start, tpl["months"])
    values = _clean(data, group)
    row = Program(group_id=group.id, mentee_staff_id=mentee_id, state=ProgramState.DRAFT, **values)
    db.session.add(row)
    db.session.flush()
    if tpl:
        for item in tpl["items"](values["start_date"], values["end_date"]):
            row.items.append(PlanItem(responsible="Наставник, наставляемый", **item))
    db.session.commit()
    return row


def update_program(row: Program, data: dict) -> None:
    if row.state not in (ProgramState.DRAFT,):
        raise Invalid("state", "Утверждённую программу меняют только по обоюдному согласию (положение, п. 7.2).")
    values = _clean(data, row.group)
    outside = [i for i in row.items if not values["start_date"] <= i.due_date <= values["end_date"]]
    if outside:
        raise Invalid("end_date", f"Мероприятия плана выходят за новые сроки: {len(outside)}. Сначала перенесите их.")
    for key, value in values.items():
        setattr(row, key, value)
    db.session.commit()


def add_item(row: Program, data: dict) -> PlanItem:
    if row.state in (ProgramState.COMPLETED, ProgramState.TERMINATED):
        raise Invalid("state", "Программа завершена: план не меняется.")
    errors = {}
    content = (data.get("content") or "").strip()
    if not content:
        errors["content"] = "Опишите мероприятие."
    due = parse_ru_date(data.get("due_date") or "") if not isinstance(data.get("due_date"), date) else data["due_date"]
    if due is None:
        errors["due_date"] = "Срок в формате дд.мм.гггг."
    elif not row.start_date <= due <= row.end_date:
        errors["due_date"] = f"Срок внутри периода программы: с {ru_date(row.start_date)} по {ru_date(row.end_date)}."
    if errors:
        raise Invalid(fields=errors)
    item = PlanItem(content=content, due_date=due, form=(data.get("form") or "").strip()[:200],
                    responsible=(data.get("responsible") or "").strip()[:300],
                    expected_result=(data.get("expected_result") or "").strip(),
                    report_form=(data.get("report_form") or "").strip()[:300])
    row.items.append(item)  # through the relationship, so the program sees its new item at once
    db.session.commit()
    return item


def item(row: Program, item_id: int) -> PlanItem:
    """A plan item of this program (an item of another program is not found here)."""
    return get_or_404(PlanItem, item_id, "Мероприятие не найдено.", program_id=row.id)


def mark_done(it: PlanItem, note: str, user) -> PlanItem:
    if it.program.state is not ProgramState.ACTIVE:
        raise Invalid("state", "Отмечать выполнение можно, когда программа реализуется.")
    if it.status is PlanItemStatus.CANCELLED:
        raise Invalid("state", "Мероприятие отменено.")
    it.status, it.done_at, it.done_note = PlanItemStatus.DONE, clock.now(), (note or "").strip()
    if note and note.strip():
        db.session.add(PlanItemComment(item_id=it.id, author_id=user.id, text=note.strip(), at=clock.now()))
    db.session.commit()
    return it


def cancel_item(it: PlanItem) -> None:
    if it.status is PlanItemStatus.DONE:
        raise Invalid("state", "Выполненное мероприятие не отменяется.")
    it.status = PlanItemStatus.CANCELLED
    db.session.commit()


def comment(it: PlanItem, text: str, user) -> PlanItemComment:
    text = (text or "").strip()
    if not text:
        raise Invalid("text", "Напишите комментарий.")
    row = PlanItemComment(item_id=it.id, author_id=user.id, text=text[:5000], at=clock.now())
    db.session.add(row)
    db.session.commit()
    return row


def comments_by_item(row: Program) -> dict[int, list[PlanItemComment]]:
    """Every comment of the program's plan items in one statement, with their authors: item id → comments."""
    out: dict[int, list[PlanItemComment]] = {}
    for c in db.session.execute(db.select(PlanItemComment).join(PlanItem, PlanItem.id == PlanItemComment.item_id)
                                .where(PlanItem.program_id == row.id).options(joinedload(PlanItemComment.author))
                                .order_by(PlanItemComment.id)).scalars():
        out.setdefault(c.item_id, []).append(c)
    return out


def comments(it: PlanItem) -> list[PlanItemComment]:
    return list(db.session.execute(db.select(PlanItemComment).where(PlanItemComment.item_id == it.id)
                                   .order_by(PlanItemComment.id)).scalars())


def mark_overdue(today: date | None = None) -> int:
    """Planned items past their due date become overdue (daily task, idempotent)."""
    today = today or date.today()
    rows = list(db.session.execute(db.select(PlanItem).join(Program).where(
        PlanItem.status == PlanItemStatus.PLANNED, PlanItem.due_date < today,
        Program.state == ProgramState.ACTIVE)).scalars())
    for it in rows:
        it.status = PlanItemStatus.OVERDUE
    db.session.commit()
    return len(rows)


# --- states ---------------------------------------------------------------------------------------------------

def change_state(row: Program, new: ProgramState, actor_id: int | None, reason: str = "", note: str = "") -> None:
    if new not in PROGRAM_TRANSITIONS[row.state]:
        raise Invalid("state", f"Нельзя перевести программу из «{row.state.label}» в «{new.label}».")
    if new is ProgramState.APPROVED and not row.items:
        raise Invalid("state", "Добавьте в план хотя бы одно мероприятие.")
    if new in (ProgramState.COMPLETED, ProgramState.TERMINATED):
        if reason not in CompletionReason._value2member_map_:
            raise Invalid("reason", "Выберите основание завершения (положение, п. 7.1).")
        reason_enum = CompletionReason(reason)
        if new is ProgramState.COMPLETED and reason_enum is not CompletionReason.PLAN_DONE:
            new = ProgramState.TERMINATED  # ended early on someone's initiative is a termination
        if reason_enum is CompletionReason.PLAN_DONE:
            open_items = [i for i in row.items if i.status in (PlanItemStatus.PLANNED, PlanItemStatus.OVERDUE)]
            if open_items:
                raise Invalid("reason", f"План не выполнен: открытых мероприятий — {len(open_items)}.")
        if reason_enum is not CompletionReason.PLAN_DONE and not (note or "").strip():
            raise Invalid("note", "Опишите уважительные обстоятельства.")
        row.completion_reason, row.completion_note, row.completed_at = reason_enum, (note or "").strip(), date.today()
    old = row.state
    row.state = new
    db.session.add(ProgramChange(program_id=row.id, kind="state", description=f"{old.label} → {new.label}",
                                 actor_id=actor_id, at=clock.now()))
    if new is ProgramState.ACTIVE and row.group.state is GroupState.APPROVED:
        group_state(row.group, GroupState.ACTIVE, "Программа наставничества начала реализовываться", actor_id,
                    commit=False)
    ended = new in (ProgramState.COMPLETED, ProgramState.TERMINATED)
    invitations = _survey_on_completion(row) if ended else []
    db.session.commit()
    if ended:
        program_ended.send(row.institution_id, completed_on=row.completed_at)
    _notify_survey(invitations)


def _survey_on_completion(row: Program) -> list:
    """Seed roadmap item 18: when a program ends, its mentee and mentors get the satisfaction survey."""
    return invite_for_program(row, db.session.get(Institution, row.institution_id).municipality_id)


def _notify_survey(invitations: list) -> None:
    for inv in invitations:
        url = ""
        if has_request_context():
            slug = db.session.get(Institution, inv.institution_id).slug
            url = url_for("surveys.answer", inst_slug=slug, invitation_id=inv.id)
        notify_staff(inv.staff, "survey", "Ответьте на анкету по итогам программы наставничества",
                     body="Анкета анонимная: ответы видны только в сводных цифрах.", url=url,
                     dedup_key=f"survey:{inv.id}")


# --- extension or change by mutual consent (seed §7.2) ----------------------------------------------------------

def propose_change(row: Program, user, roles: set, kind: str, new_end: str, description: str,
                   on_paper: bool = False) -> ProgramChange:
    if row.state not in (ProgramState.APPROVED, ProgramState.ACTIVE):
        raise Invalid("state", "Изменять можно утверждённую или реализуемую программу.")
    errors = {}
    end = None
    if kind == "extension":
        end = parse_ru_date(new_end or "")
        if end is None or end <= row.end_date:
            errors["new_end_date"] = "Новая дата окончания позже текущей, в формате дд.мм.гггг."
        else:
            check_period(row.start_date, end, errors)
            if "end_date" in errors:
                errors["new_end_date"] = errors.pop("end_date")
    elif kind != "content":
        errors["kind"] = "Выберите: продление срока или корректировка содержания."
    if not (description or "").strip():
        errors["description"] = "Опишите изменение и его причину."
    if errors:
        raise Invalid(fields=errors)
    change = ProgramChange(program_id=row.id, kind=kind, description=description.strip(), old_end_date=row.end_date,
                           new_end_date=end, actor_id=user.id, at=clock.now())
    db.session.add(change)
    mentor = ", ".join(m.staff.short_name for m in row.group.mentors)
    if on_paper:
        if not APPROVE_PROGRAMS.admits(roles):
            raise Forbidden("Бумажное согласие сторон вносит куратор.")
        change.agreed_by_mentor, change.agreed_by_mentee = f"{mentor} (на бумаге)", f"{row.mentee.short_name} (на бумаге)"
    else:
        _agree_as(change, row, user)
    _apply_if_agreed(change, row)
    db.session.commit()
    return change


def _agree_as(change: ProgramChange, row: Program, user) -> None:
    me = staff_of(user)
    if me is not None and me.id == row.mentee_staff_id:
        change.agreed_by_mentee = me.short_name
    elif is_mentor_of(user, row.group):
        change.agreed_by_mentor = me.short_name
    else:
        raise Forbidden("Согласие дают наставник и наставляемый этой программы.")


def _apply_if_agreed(change: ProgramChange, row: Program) -> None:
    if change.agreed_by_mentor and change.agreed_by_mentee and change.kind == "extension" and change.new_end_date:
        row.end_date = change.new_end_date


def agree(change_id: int, row: Program, user) -> ProgramChange:
    change = get_or_404(ProgramChange, change_id, "Изменение программы не найдено.", program_id=row.id)
    _agree_as(change, row, user)
    _apply_if_agreed(change, row)
    db.session.commit()
    return change


def changes(row: Program) -> list[ProgramChange]:
    return list(db.session.execute(db.select(ProgramChange).where(ProgramChange.program_id == row.id)
                                   .order_by(ProgramChange.id)).scalars())


def groups_for_new_program(user, roles: set) -> list[MentoringGroup]:
    stmt = db.select(MentoringGroup).where(MentoringGroup.state.in_([GroupState.APPROVED, GroupState.ACTIVE]))
    if not EDIT_MENTORING.admits(roles):
        me = staff_of(user)
        mine = db.select(GroupMember.group_id).where(GroupMember.staff_id == (me.id if me else -1),
                                                    GroupMember.role == MemberRole.MENTOR)
        stmt = stmt.where(MentoringGroup.id.in_(mine))
    return list(db.session.execute(stmt.order_by(MentoringGroup.academic_year.desc(), MentoringGroup.number,
                                                 MentoringGroup.id)).scalars())


# --- the programs of a year -----------------------------------------------------------------------------------

def program_in(year: str):
    """A program belongs to a year it ran in: ended ones by their end, going-on ones also in every year their
    pair was carried into (an overdue completion stays visible)."""
    start, end = bounds(year)
    ended = Program.state.in_([ProgramState.COMPLETED, ProgramState.TERMINATED])
    finished_on = db.func.coalesce(Program.completed_at, Program.end_date)
    carried = db.select(MentoringGroup.id).where(group_in(year))
    return (Program.start_date <= end) & (
        (ended & (finished_on >= start)) | (~ended & ((Program.end_date >= start) | Program.group_id.in_(carried))))


def programs_in(year: str, states=None) -> list[Program]:
    """The year's programs with what a list shows of each: the mentee, the pair's members and their staff, the plan."""
    stmt = db.select(Program).where(program_in(year)).order_by(Program.end_date, Program.id).options(
        joinedload(Program.mentee), selectinload(Program.items),
        with_people(selectinload(Program.group).selectinload(MentoringGroup.members)))
    if states:
        stmt = stmt.where(Program.state.in_(list(states)))
    return list(db.session.execute(stmt).scalars())
