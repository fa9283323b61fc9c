"""What a mentor or mentee sees of their own mentoring, the meetings log, and the curator's dashboard figures.
Everything runs inside the institution's scope: tenancy filters the rows, these functions choose the person's."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from portal.errors import Forbidden, Invalid
from portal.extensions import db
from portal.formatting import parse_ru_date
from portal.mentoring.groups import LIVE
from portal.mentoring.models import Acknowledgement, GroupMember, Meeting, MentoringGroup, Order, PlanItem, Program
from portal.mentoring.states import GroupFormat, GroupState, MemberRole, PlanItemStatus, ProgramState
from portal.programs.services import staff_of
from portal.staff.models import Staff

DUE_SOON_DAYS = 14
ENDING_SOON_DAYS = 30
MAX_MEETING_MINUTES = 8 * 60


@dataclass
class Overview:
    """A person's own mentoring: their live groups, programs, items to do and orders to read."""

    staff: Staff | None
    groups: list[MentoringGroup] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    overdue: list[PlanItem] = field(default_factory=list)
    due_soon: list[PlanItem] = field(default_factory=list)
    acknowledgements: list[Acknowledgement] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.staff is None or not (self.groups or self.programs or self.acknowledgements)


def my_groups(staff: Staff) -> list[MentoringGroup]:
    return list(db.session.execute(
        db.select(MentoringGroup).join(GroupMember, GroupMember.group_id == MentoringGroup.id)
        .where(GroupMember.staff_id == staff.id, GroupMember.left_at.is_(None), MentoringGroup.state.in_(LIVE))
        .order_by(MentoringGroup.start_date)).scalars().unique())


def my_programs(staff: Staff, groups: list[MentoringGroup]) -> list[Program]:
    """Programs where the person is the mentee, or a mentor of the program's group."""
    mentor_of = [g.id for g in groups if any(m.staff_id == staff.id and m.role is MemberRole.MENTOR for m in g.members)]
    stmt = db.select(Program).where(Program.state.in_([ProgramState.DRAFT, ProgramState.APPROVED, ProgramState.ACTIVE]),
                                    (Program.mentee_staff_id == staff.id) | Program.group_id.in_(mentor_of))
    return list(db.session.execute(stmt.order_by(Program.end_date)).scalars())


def overview(user, today: date | None = None) -> Overview:
    today = today or date.today()
    me = staff_of(user)
    if me is None:
        return Overview(None)
    groups = my_groups(me)
    programs = my_programs(me, groups)
    items = [it for p in programs if p.state is ProgramState.ACTIVE for it in p.items
             if it.status in (PlanItemStatus.PLANNED, PlanItemStatus.OVERDUE)]
    acks = list(db.session.execute(db.select(Acknowledgement).join(Order).where(
        Acknowledgement.staff_id == me.id, Acknowledgement.acknowledged_at.is_(None), Order.issued_at.is_not(None))
        .order_by(Acknowledgement.due_date)).scalars())
    return Overview(
        staff=me, groups=groups, programs=programs,
        overdue=sorted((it for it in items if it.due_date < today), key=lambda it: it.due_date),
        due_soon=sorted((it for it in items if today <= it.due_date <= today + timedelta(days=DUE_SOON_DAYS)),
                        key=lambda it: it.due_date),
        acknowledgements=acks)


# --- meetings ----------------------------------------------------------------------------------------------------

def is_member(user, group: MentoringGroup) -> bool:
    me = staff_of(user)
    return me is not None and any(m.staff_id == me.id and m.left_at is None for m in group.members)


def meetings(group: MentoringGroup) -> list[Meeting]:
    return list(db.session.execute(db.select(Meeting).where(Meeting.group_id == group.id)
                                   .order_by(Meeting.held_on.desc(), Meeting.id.desc())).scalars())


def add_meeting(group: MentoringGroup, data: dict, user) -> Meeting:
    """A meeting of the pair (group): only its members log them, only while it is live, never in the future."""
    if not is_member(user, group):
        raise Forbidden("Встречи записывают участники пары (группы).")
    if group.state not in LIVE:
        raise Invalid("state", "Пара (группа) уже завершила работу.")
    errors: dict[str, str] = {}
    held_on = parse_ru_date(data.get("held_on") or "")
    if held_on is None:
        errors["held_on"] = "Дата встречи в формате дд.мм.гггг."
    elif held_on > date.today():
        errors["held_on"] = "Встреча ещё не состоялась: дата позже сегодняшней."
    elif held_on < group.start_date:
        errors["held_on"] = "Дата раньше начала работы пары (группы)."
    minutes = str(data.get("duration_minutes") or "").strip()
    if not minutes.isdigit() or not 5 <= int(minutes) <= MAX_MEETING_MINUTES:
        errors["duration_minutes"] = "Продолжительность — целое число минут от 5 до 480."
    try:
        fmt = GroupFormat(data.get("format") or "")
    except ValueError:
        errors["format"] = "Выберите формат встречи."
    topic = (data.get("topic") or "").strip()
    if not topic:
        errors["topic"] = "Укажите тему встречи."
    if errors:
        raise Invalid(next(iter(errors)), next(iter(errors.values())), fields=errors)
    row = Meeting(group_id=group.id, held_on=held_on, duration_minutes=int(minutes), format=fmt, topic=topic[:500],
                  notes=(data.get("notes") or "").strip()[:5000], author_id=user.id)
    db.session.add(row)
    db.session.commit()
    return row


# --- the curator's dashboard ----------------------------------------------------------------------------------

def _count(stmt) -> int:
    return db.session.execute(stmt).scalar_one()


def dashboard(today: date | None = None) -> dict:
    """Figures and lists for the institution's head and curator (inside the institution's scope)."""
    today = today or date.today()
    count = db.func.count
    staff = list(db.session.execute(db.select(Staff).where(Staff.archived_at.is_(None))).scalars())
    mentee_ids = set(db.session.execute(
        db.select(GroupMember.staff_id).join(MentoringGroup, MentoringGroup.id == GroupMember.group_id)
        .where(GroupMember.role == MemberRole.MENTEE, GroupMember.left_at.is_(None),
               MentoringGroup.state.in_(LIVE))).scalars())
    mentor_ids = set(db.session.execute(
        db.select(GroupMember.staff_id).join(MentoringGroup, MentoringGroup.id == GroupMember.group_id)
        .where(GroupMember.role == MemberRole.MENTOR, GroupMember.left_at.is_(None),
               MentoringGroup.state.in_(LIVE))).scalars())
    young = [s for s in staff if s.is_young_specialist(today)]
    overdue_items = list(db.session.execute(
        db.select(PlanItem).join(Program).where(Program.state == ProgramState.ACTIVE,
                                                PlanItem.status.in_([PlanItemStatus.PLANNED, PlanItemStatus.OVERDUE]),
                                                PlanItem.due_date < today)
        .order_by(PlanItem.due_date).limit(50)).scalars())
    ending = list(db.session.execute(
        db.select(Program).where(Program.state == ProgramState.ACTIVE,
                                 Program.end_date.between(today, today + timedelta(days=ENDING_SOON_DAYS)))
        .order_by(Program.end_date)).scalars())
    unacknowledged = list(db.session.execute(
        db.select(Acknowledgement).join(Order).where(Acknowledgement.acknowledged_at.is_(None),
                                                     Order.issued_at.is_not(None))
        .order_by(Acknowledgement.due_date)).scalars())
    month_start = today.replace(day=1)
    return {
        "staff": len(staff),
        "mentors": len(mentor_ids),
        "mentees": len(mentee_ids),
        "groups": _count(db.select(count(MentoringGroup.id)).where(MentoringGroup.state.in_(LIVE))),
        "groups_active": _count(db.select(count(MentoringGroup.id)).where(MentoringGroup.state == GroupState.ACTIVE)),
        "programs_active": _count(db.select(count(Program.id)).where(Program.state == ProgramState.ACTIVE)),
        "programs_draft": _count(db.select(count(Program.id)).where(
            Program.state.in_([ProgramState.DRAFT, ProgramState.APPROVED]))),
        "meetings_month": _count(db.select(count(Meeting.id)).where(Meeting.held_on >= month_start,
                                                                   Meeting.state == "held")),
        "overdue_items": overdue_items,
        "overdue_count": _count(db.select(count(PlanItem.id)).join(Program).where(
            Program.state == ProgramState.ACTIVE, PlanItem.status.in_([PlanItemStatus.PLANNED, PlanItemStatus.OVERDUE]),
            PlanItem.due_date < today)),
        "ending_soon": ending,
        "unacknowledged": unacknowledged,
        "unacknowledged_overdue": sum(1 for a in unacknowledged if a.due_date < today),
        "young_without_mentor": [s for s in young if s.id not in mentee_ids],
        "young": len(young),
    }
