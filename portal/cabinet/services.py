"""What a mentor or mentee sees of their own mentoring, the meetings log, and the curator's dashboard figures.
Everything runs inside the institution's scope: tenancy filters the rows, these functions choose the person's."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import contains_eager, joinedload

from portal.errors import Forbidden, Invalid
from portal.extensions import db
from portal.formatting import parse_ru_date
from portal.mentoring.groups import LIVE
from portal.mentoring.models import Acknowledgement, GroupMember, Meeting, MentoringGroup, Order
from portal.mentoring.states import GroupFormat, GroupState, MemberRole, PlanItemStatus, ProgramState
from portal.programs.models import PlanItem, Program
from portal.staff.services import staff_of
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

DASHBOARD_LIST = 50   # each list of the dashboard shows this many rows at most, then «ещё N»


def _dashboard_counts(today: date) -> dict:
    """Every figure of the dashboard in one statement: a scalar subquery per table, FILTER for the variants."""
    count = db.func.count
    open_items = (Program.state == ProgramState.ACTIVE) & PlanItem.status.in_([PlanItemStatus.PLANNED,
                                                                               PlanItemStatus.OVERDUE]) \
        & (PlanItem.due_date < today)
    row = db.session.execute(db.select(
        db.select(count(MentoringGroup.id)).where(MentoringGroup.state.in_(LIVE)).scalar_subquery().label("groups"),
        db.select(count(MentoringGroup.id)).where(MentoringGroup.state == GroupState.ACTIVE).scalar_subquery()
        .label("groups_active"),
        db.select(count(Program.id)).where(Program.state == ProgramState.ACTIVE).scalar_subquery()
        .label("programs_active"),
        db.select(count(Program.id)).where(Program.state.in_([ProgramState.DRAFT, ProgramState.APPROVED]))
        .scalar_subquery().label("programs_draft"),
        db.select(count(Meeting.id)).where(Meeting.held_on >= today.replace(day=1), Meeting.state == "held")
        .scalar_subquery().label("meetings_month"),
        db.select(count(PlanItem.id)).join(Program).where(open_items).scalar_subquery().label("overdue_count"),
        db.select(count(Program.id)).where(Program.state == ProgramState.ACTIVE, Program.end_date.between(
            today, today + timedelta(days=ENDING_SOON_DAYS))).scalar_subquery().label("ending_count"),
        db.select(count(Acknowledgement.id)).join(Order).where(
            Acknowledgement.acknowledged_at.is_(None), Order.issued_at.is_not(None)).scalar_subquery()
        .label("unacknowledged_count"),
        db.select(count(Acknowledgement.id)).join(Order).where(
            Acknowledgement.acknowledged_at.is_(None), Order.issued_at.is_not(None), Acknowledgement.due_date < today)
        .scalar_subquery().label("unacknowledged_overdue"),
    )).one()
    return row._asdict()


def dashboard(today: date | None = None) -> dict:
    """Figures and lists for the institution's head and curator (inside the institution's scope): the figures in
    one statement, each list bounded (DASHBOARD_LIST) with what it shows loaded with it — a fixed number of
    statements whatever the institution's size."""
    today = today or date.today()
    staff = list(db.session.execute(db.select(Staff).where(Staff.archived_at.is_(None))).scalars())
    members = db.session.execute(
        db.select(GroupMember.staff_id, GroupMember.role).join(MentoringGroup, MentoringGroup.id == GroupMember.group_id)
        .where(GroupMember.left_at.is_(None), MentoringGroup.state.in_(LIVE))).all()
    mentee_ids = {m.staff_id for m in members if m.role is MemberRole.MENTEE}
    mentor_ids = {m.staff_id for m in members if m.role is MemberRole.MENTOR}
    young = [s for s in staff if s.is_young_specialist(today)]
    overdue_items = list(db.session.execute(
        db.select(PlanItem).join(Program).where(Program.state == ProgramState.ACTIVE,
                                                PlanItem.status.in_([PlanItemStatus.PLANNED, PlanItemStatus.OVERDUE]),
                                                PlanItem.due_date < today)
        .options(contains_eager(PlanItem.program).joinedload(Program.mentee))
        .order_by(PlanItem.due_date, PlanItem.id).limit(DASHBOARD_LIST)).scalars())
    ending = list(db.session.execute(
        db.select(Program).where(Program.state == ProgramState.ACTIVE,
                                 Program.end_date.between(today, today + timedelta(days=ENDING_SOON_DAYS)))
        .options(joinedload(Program.mentee)).order_by(Program.end_date, Program.id).limit(DASHBOARD_LIST)).scalars())
    unacknowledged = list(db.session.execute(
        db.select(Acknowledgement).join(Order).where(Acknowledgement.acknowledged_at.is_(None),
                                                     Order.issued_at.is_not(None))
        .options(contains_eager(Acknowledgement.order), joinedload(Acknowledgement.staff))
        .order_by(Acknowledgement.due_date, Acknowledgement.id).limit(DASHBOARD_LIST)).scalars())
    without_mentor = [s for s in young if s.id not in mentee_ids]
    return {
        **_dashboard_counts(today),
        "staff": len(staff),
        "mentors": len(mentor_ids),
        "mentees": len(mentee_ids),
        "overdue_items": overdue_items,
        "ending_soon": ending,
        "unacknowledged": unacknowledged,
        "young_without_mentor": without_mentor[:DASHBOARD_LIST],
        "young_without_mentor_count": len(without_mentor),
        "young": len(young),
    }
