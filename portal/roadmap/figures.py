"""Every indicator of many institutions at once: one grouped query per family of figures (GROUP BY institution_id),
then one multi-row upsert of their snapshots — a chunk of institutions costs the same dozen statements as one.

Runs inside a scope that sees exactly those institutions (tenants.context.institutions_scope): the tenant filter
narrows every statement, so nothing here names an institution except to give the empty ones their zeros."""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import and_, distinct, func, or_, select

from portal.extensions import db
from portal.mentoring.models import Acknowledgement, GroupMember, Meeting, MentoringForm, MentoringGroup, Order
from portal.mentoring.states import GroupState, MemberRole, PlanItemStatus, ProgramState
from portal.programs.models import PlanItem, Program
from portal.registry.models import Incentive
from portal.roadmap.models import RoadmapTask, Snapshot, TaskStatus
from portal.staff.models import Staff
from portal.surveys.services import satisfaction_by_institution
from tenants.context import TenantViolation, current_scope

NO_FORM = "Не указана"


def _zero() -> dict:
    return {"staff": 0, "mentors": 0, "mentees": 0, "groups": 0, "groups_by_form": {}, "young": 0,
            "young_with_mentor": 0, "young_with_mentor_pct": None, "programs_active": 0, "programs_completed": 0,
            "programs_terminated": 0, "items_done": 0, "items_overdue": 0, "meetings": 0, "acks_total": 0,
            "acks_done": 0, "tasks_total": 0, "tasks_submitted": 0, "tasks_accepted": 0, "tasks_overdue": 0,
            "satisfaction": None, "mentors_rewarded": 0}


def _put(out: dict[int, dict], rows, *keys: str) -> None:
    for institution_id, *values in rows:
        out[institution_id].update(zip(keys, values))


def tenths(numerator: int, denominator: int) -> float:
    """numerator / denominator to one decimal, halves rounded up as a report (and SQL's round) does: 1/16 → 0.1,
    100·1/16 → 6.3 — exact integer arithmetic, not binary floats, so 6.25 never becomes 6.2."""
    return ((20 * numerator + denominator) // (2 * denominator)) / 10


def compute_many(institution_ids: list[int], start: date, end: date, today: date, quarters: list[str]) -> dict[int, dict]:
    """Figures of every institution in `institution_ids` for the period [start, end]: a pair counts if it worked at
    any time in it; a program is «active» if it ran in it, «completed»/«terminated» if it ended in it."""
    as_of = min(end, today)
    out = {i: _zero() for i in institution_ids}
    count = func.count
    worked = and_(MentoringGroup.state != GroupState.PROPOSED, MentoringGroup.start_date <= end,
                  or_(MentoringGroup.end_date.is_(None), MentoringGroup.end_date >= start))
    in_period = and_(GroupMember.joined_at <= end, or_(GroupMember.left_at.is_(None), GroupMember.left_at >= start))
    members = select(GroupMember).join(MentoringGroup, MentoringGroup.id == GroupMember.group_id).where(worked, in_period)
    mentor, mentee = GroupMember.role == MemberRole.MENTOR, GroupMember.role == MemberRole.MENTEE
    _put(out, db.session.execute(members.with_only_columns(
        GroupMember.institution_id, count(distinct(GroupMember.staff_id)).filter(mentor),
        count(distinct(GroupMember.staff_id)).filter(mentee)).group_by(GroupMember.institution_id)),
        "mentors", "mentees")

    young = Staff.young_specialist_clause(as_of)
    mentee_ids = members.with_only_columns(GroupMember.staff_id).where(mentee)
    _put(out, db.session.execute(select(
        Staff.institution_id, count(), count().filter(young), count().filter(young, Staff.id.in_(mentee_ids)))
        .where(or_(Staff.archived_at.is_(None),
                   Staff.archived_at >= datetime.combine(start, datetime.min.time(), tzinfo=UTC)))
        .group_by(Staff.institution_id)), "staff", "young", "young_with_mentor")

    for institution_id, form, n in db.session.execute(select(
            MentoringGroup.institution_id, MentoringForm.name, count(MentoringGroup.id))
            .join(MentoringForm, MentoringForm.id == MentoringGroup.form_id, isouter=True).where(worked)
            .group_by(MentoringGroup.institution_id, MentoringForm.name)):
        figures = out[institution_id]
        figures["groups_by_form"][form or NO_FORM] = figures["groups_by_form"].get(form or NO_FORM, 0) + n
        figures["groups"] += n

    ended = Program.completed_at.between(start, end)
    _put(out, db.session.execute(select(
        Program.institution_id,
        count().filter(or_(Program.completed_at.is_(None), Program.completed_at >= start)),
        count().filter(Program.state == ProgramState.COMPLETED, ended),
        count().filter(Program.state == ProgramState.TERMINATED, ended))
        .where(Program.start_date <= end, Program.end_date >= start, Program.state != ProgramState.DRAFT)
        .group_by(Program.institution_id)), "programs_active", "programs_completed", "programs_terminated")

    _put(out, db.session.execute(select(
        PlanItem.institution_id, count().filter(PlanItem.status == PlanItemStatus.DONE),
        count().filter(or_(PlanItem.status == PlanItemStatus.OVERDUE,
                           and_(PlanItem.status == PlanItemStatus.PLANNED, PlanItem.due_date < as_of))))
        .where(PlanItem.due_date.between(start, end)).group_by(PlanItem.institution_id)), "items_done", "items_overdue")

    _put(out, db.session.execute(select(Meeting.institution_id, count()).where(Meeting.held_on.between(start, end))
                                 .group_by(Meeting.institution_id)), "meetings")

    _put(out, db.session.execute(select(
        Acknowledgement.institution_id, count(), count(Acknowledgement.acknowledged_at))
        .join(Order, Order.id == Acknowledgement.order_id)
        .where(Order.issued_at.is_not(None), Order.issued_on.between(start, end))
        .group_by(Acknowledgement.institution_id)), "acks_total", "acks_done")

    open_states = [TaskStatus.OPEN, TaskStatus.RETURNED]
    _put(out, db.session.execute(select(
        RoadmapTask.institution_id, count(),
        count().filter(RoadmapTask.status.in_([TaskStatus.SUBMITTED, TaskStatus.ACCEPTED])),
        count().filter(RoadmapTask.status == TaskStatus.ACCEPTED),
        count().filter(RoadmapTask.status.in_(open_states), RoadmapTask.working_due_date < today))
        .where(RoadmapTask.due_date.between(start, end)).group_by(RoadmapTask.institution_id)),
        "tasks_total", "tasks_submitted", "tasks_accepted", "tasks_overdue")

    _put(out, db.session.execute(select(Incentive.institution_id, count(distinct(Incentive.staff_id)))
                                 .where(Incentive.awarded_on.between(start, end)).group_by(Incentive.institution_id)),
         "mentors_rewarded")

    for institution_id, value in satisfaction_by_institution(quarters).items():
        if institution_id in out:
            out[institution_id]["satisfaction"] = value
    for figures in out.values():
        if figures["young"]:
            figures["young_with_mentor_pct"] = tenths(100 * figures["young_with_mentor"], figures["young"])
    return out


def upsert_snapshots(period: str, figures: dict[int, dict], computed_at: datetime) -> None:
    """One INSERT … ON CONFLICT (institution_id, period) DO UPDATE for all of them (PostgreSQL and SQLite share the
    syntax): computing twice leaves one row per institution with the latest figures, and a twin task running at
    the same time cannot make a second row."""
    if not figures:
        return
    scope = current_scope()
    if not scope.everything and not set(figures) <= scope.institution_ids:
        # A Core INSERT passes the ORM's before_flush check; the scope is checked here instead.
        raise TenantViolation("snapshots outside the current institution scope")
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(Snapshot.__table__)
    stmt = stmt.on_conflict_do_update(
        index_elements=["institution_id", "period"],
        set_={"figures": stmt.excluded.figures, "computed_at": stmt.excluded.computed_at})
    # RETURNING makes SQLAlchemy send the rows as ONE multi-row INSERT (its «insertmanyvalues», batches of 1,000)
    # from a compiled form it caches, rather than one statement per row or a fresh compile per chunk.
    db.session.execute(stmt.returning(Snapshot.__table__.c.id), [
        {"institution_id": i, "period": period, "figures": f, "computed_at": computed_at}
        for i, f in sorted(figures.items())]).all()
