"""Requests (заявления): a mentee asks to replace the mentor (seed §5.1), a mentor asks to be relieved (§4.1).
The curator or head decides; approval moves the mentee(s) to a new group with the new mentor, marks the old
group replaced, moves their programs along, and drafts the replacement order. History stays on the request."""
from __future__ import annotations

from datetime import date

from portal import clock
from portal.appeals.models import MentoringRequest
from portal.errors import Forbidden, Invalid, NotFound
from portal.extensions import db
from portal.formatting import ru_date
from portal.mentoring import groups as group_rules
from portal.mentoring.models import GroupMember, MentoringGroup
from portal.mentoring.order_drafting import draft_for_groups
from portal.mentoring.states import GroupState, MemberRole, OrderKind, ProgramState, RequestKind, RequestState
from portal.notifications.services import notify_staff, notify_user
from portal.programs.models import Program, ProgramChange
from portal.staff.models import Staff
from portal.staff.services import staff_of
from tenants.access import OVERSEE_MENTORING
from tenants.queries import get_or_404


def appeal(appeal_id: int) -> MentoringRequest:
    return get_or_404(MentoringRequest, appeal_id, "Заявление не найдено.")


def appeals(staff_id: int | None = None) -> list[MentoringRequest]:
    stmt = db.select(MentoringRequest).order_by(MentoringRequest.state != RequestState.PENDING,
                                                MentoringRequest.id.desc())
    if staff_id is not None:
        stmt = stmt.where(MentoringRequest.author_staff_id == staff_id)
    return list(db.session.execute(stmt).scalars())


def _membership(group: MentoringGroup, staff_id: int) -> GroupMember | None:
    return next((m for m in group.members if m.staff_id == staff_id and m.left_at is None), None)


def submit(user, group_id, reason: str, curators_user_ids: list[int]) -> MentoringRequest:
    """The kind follows from who asks: the mentee asks for another mentor, the mentor asks to be relieved."""
    me = staff_of(user)
    group = db.session.get(MentoringGroup, int(group_id)) if str(group_id or "").isdigit() else None
    member = _membership(group, me.id) if group is not None and me is not None else None
    if member is None:
        raise Invalid("group_id", "Выберите свою пару (группу).")
    if group.state not in (GroupState.APPROVED, GroupState.ACTIVE):
        raise Invalid("group_id", "Заявление подают по утверждённой или работающей паре (группе).")
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise Invalid("reason", "Опишите причину: заявление рассматривают по существу (не короче 10 символов).")
    if db.session.execute(db.select(MentoringRequest.id).where(
            MentoringRequest.group_id == group.id, MentoringRequest.author_staff_id == me.id,
            MentoringRequest.state == RequestState.PENDING)).first():
        raise Invalid("group_id", "Ваше заявление по этой паре уже на рассмотрении.")
    kind = RequestKind.REPLACE_MENTOR if member.role is MemberRole.MENTEE else RequestKind.RELIEVE_MENTOR
    row = MentoringRequest(kind=kind, group_id=group.id, author_staff_id=me.id, reason=reason[:5000])
    db.session.add(row)
    db.session.commit()
    for user_id in curators_user_ids:
        notify_user(user_id, "request", f"Новое заявление: {kind.label.lower()}", body=f"{me.short_name}: {reason[:200]}",
                    dedup_key=f"request:{row.id}", institution_id=group.institution_id)
    return row


def reject(row: MentoringRequest, note: str, actor_id: int) -> None:
    if row.state is not RequestState.PENDING:
        raise Invalid("state", "Заявление уже рассмотрено.")
    if not (note or "").strip():
        raise Invalid("decision_note", "Укажите, почему заявление отклонено.")
    row.state, row.decided_by_id, row.decided_at = RequestState.REJECTED, actor_id, clock.now()
    row.decision_note = note.strip()[:5000]
    db.session.commit()
    author = db.session.get(Staff, row.author_staff_id)
    notify_staff(author, "request_decided", "Заявление отклонено", body=row.decision_note,
                 dedup_key=f"request-decided:{row.id}")


def approve(row: MentoringRequest, new_mentor_id, note: str, actor_id: int, institution,
            confirm_over_limit: bool = False) -> MentoringRequest:
    """Every check first; then the new group, the moves, the old group's state and the draft order, in one commit."""
    if row.state is not RequestState.PENDING:
        raise Invalid("state", "Заявление уже рассмотрено.")
    old = row.group
    if old.state not in (GroupState.APPROVED, GroupState.ACTIVE):
        raise Invalid("state", "Пара (группа) уже не работает: заявление можно только отклонить.")
    mentor = db.session.get(Staff, int(new_mentor_id)) if str(new_mentor_id or "").isdigit() else None
    if mentor is None or mentor.archived:
        raise Invalid("new_mentor_id", "Выберите нового наставника.")
    old_mentor_ids = {m.staff_id for m in old.mentors}
    if mentor.id in old_mentor_ids or mentor.id in {m.staff_id for m in old.mentees}:
        raise Invalid("new_mentor_id", "Новый наставник должен быть другим человеком.")
    if row.kind is RequestKind.REPLACE_MENTOR:
        moving = [m for m in old.mentees if m.staff_id == row.author_staff_id]
    else:
        moving = list(old.mentees)
    if not moving:
        raise Invalid("state", "В паре (группе) не осталось наставляемых, которых нужно передать.")
    warning = group_rules.over_limit(mentor, mentor.id, len(moving), institution)
    group_rules.confirm_limit([warning] if warning else [], confirm_over_limit)
    today = date.today()
    new = MentoringGroup(form_id=old.form_id, format=old.format, start_date=today, end_date=old.end_date,
                         state=GroupState.PROPOSED, academic_year=group_rules.academic_year(today),
                         replaces_group_id=old.id)
    new.members.append(GroupMember(staff_id=mentor.id, role=MemberRole.MENTOR, joined_at=today))
    for m in moving:
        m.left_at = today
        new.members.append(GroupMember(staff_id=m.staff_id, role=MemberRole.MENTEE, joined_at=today,
                                       consent_date=m.consent_date, consent_attachment_id=m.consent_attachment_id))
    db.session.add(new)
    db.session.flush()
    group_rules._log(new, "", GroupState.PROPOSED, f"Замена наставника по заявлению № {row.id}", actor_id)
    moved_ids = {m.staff_id for m in moving}
    programs = db.session.execute(db.select(Program).where(
        Program.group_id == old.id, Program.mentee_staff_id.in_(moved_ids),
        Program.state.in_([ProgramState.DRAFT, ProgramState.APPROVED, ProgramState.ACTIVE]))).scalars()
    for program in programs:
        program.group_id = new.id
        db.session.add(ProgramChange(program_id=program.id, kind="content", actor_id=actor_id, at=clock.now(),
                                     description=f"Смена наставника: {mentor.short_name} (заявление № {row.id})"))
    if row.kind is RequestKind.RELIEVE_MENTOR or not old.mentees:
        group_rules.change_state(old, GroupState.REPLACED, f"Заявление № {row.id}: {row.kind.label.lower()}",
                                 actor_id, commit=False)
    order = draft_for_groups(OrderKind.REPLACEMENT, institution, [new], number=f"проект-{row.id}", issued_on=today,
                             preamble=f"На основании заявления от {ru_date(row.created_at or today)} "
                                      f"({row.reason[:300]})", commit=False)
    row.state, row.decided_by_id, row.decided_at = RequestState.APPROVED, actor_id, clock.now()
    row.decision_note, row.new_group_id = (note or "").strip()[:5000], new.id
    db.session.flush()
    row.order_id = order.id
    db.session.commit()
    author = db.session.get(Staff, row.author_staff_id)
    notify_staff(author, "request_decided", "Заявление удовлетворено",
                 body=f"Новый наставник: {mentor.full_name}. Приказ о замене готовится.",
                 dedup_key=f"request-decided:{row.id}")
    return row


def ensure_author_or_overseer(user, roles: set, row: MentoringRequest) -> MentoringRequest:
    if OVERSEE_MENTORING.admits(roles):
        return row
    me = staff_of(user)
    if me is None or me.id != row.author_staff_id:
        raise NotFound("Заявление не найдено.")
    return row


def my_live_groups(user) -> list[MentoringGroup]:
    me = staff_of(user)
    if me is None:
        raise Forbidden("Ваша учётная запись не связана с карточкой сотрудника.")
    return [g for g in group_rules.groups([GroupState.APPROVED, GroupState.ACTIVE]) if _membership(g, me.id)]
