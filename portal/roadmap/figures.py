"""Every indicator of many institutions at once: ONE statement per chunk (a subquery per family of figures, each
GROUP BY institution_id, LEFT JOINed to the chunk's institutions; satisfaction apart, from survey tallies), then one
multi-row upsert of their snapshots — a chunk of institutions costs the same handful of statements as one.

Runs inside a scope that sees exactly those institutions (tenants.context.institutions_scope): the tenant filter
narrows every subquery; the chunk's ids pick only the rows of `institution` (not tenant-owned) that they join to."""
from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

from sqlalchemy import (JSON, Integer, Select, and_, any_, bindparam, cast, distinct, func, literal, or_, select,
                        true)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from portal.extensions import db
from portal.formatting import tenths
from portal.mentoring.models import Acknowledgement, GroupMember, Meeting, MentoringForm, MentoringGroup, Order
from portal.mentoring.states import GroupState, MemberRole, PlanItemStatus, ProgramState
from portal.programs.models import PlanItem, Program
from portal.roadmap.models import RoadmapTask, Snapshot, TaskStatus
from portal.staff.models import Incentive, Staff
from portal.surveys.services import satisfaction_by_institution
from tenants.context import TenantViolation, current_scope
from tenants.models import Institution

NO_FORM = "Не указана"


def _zero() -> dict:
    return {"staff": 0, "mentors": 0, "mentees": 0, "groups": 0, "groups_by_form": {}, "young": 0,
            "young_with_mentor": 0, "young_with_mentor_pct": None, "programs_active": 0, "programs_completed": 0,
            "programs_terminated": 0, "items_done": 0, "items_overdue": 0, "meetings": 0, "acks_total": 0,
            "acks_done": 0, "tasks_total": 0, "tasks_submitted": 0, "tasks_accepted": 0, "tasks_overdue": 0,
            "satisfaction": None, "mentors_rewarded": 0}


class json_object_agg(GenericFunction):
    """`json_object_agg(key, value)`: one JSON object per group — PostgreSQL's name; SQLite calls it
    json_group_object. The forms of an institution's groups arrive as one column of its one row."""

    type = JSON()
    inherit_cache = True


@compiles(json_object_agg, "sqlite")
def _json_group_object(element, compiler, **kw) -> str:
    return f"json_group_object({compiler.process(element.clauses, **kw)})"


def compute_many(institution_ids: list[int], start: date, end: date, today: date, quarters: list[str]) -> dict[int, dict]:
    """Figures of every institution in `institution_ids` for the period [start, end]: a pair counts if it worked at
    any time in it; a program is «active» if it ran in it, «completed»/«terminated» if it ended in it.

    ONE statement for all but satisfaction: each family of figures is a subquery grouped by institution, and the
    institutions of the chunk are LEFT JOINed to all of them — one round trip, one plan, one pass of the tenant
    scope's hook instead of a dozen (satisfaction reads JSON tallies; surveys.services computes it)."""
    out = {i: _zero() for i in institution_ids}
    stmt = _statement(start, end, min(end, today), today, db.session.get_bind().dialect.name == "postgresql")
    result = db.session.execute(stmt, {"ids": list(institution_ids)})
    keys = list(result.keys())
    counted, by_form_at = [(keys.index(k), k) for k in _COUNTED], keys.index("groups_by_form")
    for row in result:
        figures = out[row[0]]
        for at, key in counted:
            figures[key] = row[at] or 0
        by_form = row[by_form_at] or {}
        figures["groups_by_form"], figures["groups"] = by_form, sum(by_form.values())
    for institution_id, value in satisfaction_by_institution(quarters).items():
        if institution_id in out:
            out[institution_id]["satisfaction"] = value
    for figures in out.values():
        if figures["young"]:
            figures["young_with_mentor_pct"] = tenths(100 * figures["young_with_mentor"], figures["young"])
    return out


@lru_cache(maxsize=32)
def _statement(start: date, end: date, as_of: date, today: date, postgres: bool) -> Select:
    """The chunk's statement, built once per period and day and reused by every chunk: the same object each time,
    so neither it nor the tenant scope's analysis of it is redone per chunk. The chunk's ids are ONE array
    parameter on PostgreSQL (a list expanded to `IN (…)` elsewhere), as the tenant scope's own are."""
    families = _families(start, end, as_of, today)
    stmt = select(Institution.id, *(c for f in families for c in f.c if c.key != "institution_id"))
    stmt = stmt.select_from(Institution)
    for family in families:
        stmt = stmt.outerjoin(family, family.c.institution_id == Institution.id)
    ids = bindparam("ids", type_=ARRAY(Integer)) if postgres else bindparam("ids", expanding=True)
    return stmt.where(Institution.id == any_(ids) if postgres else Institution.id.in_(ids))


# The figures the families count (a missing family row is a zero).
_COUNTED = ("mentors", "mentees", "staff", "young", "young_with_mentor", "programs_active", "programs_completed",
            "programs_terminated", "items_done", "items_overdue", "meetings", "acks_total", "acks_done", "tasks_total",
            "tasks_submitted", "tasks_accepted", "tasks_overdue", "mentors_rewarded")


def _families(start: date, end: date, as_of: date, today: date) -> list:
    """One subquery per family of figures, each `GROUP BY institution_id`, columns labelled with the figures' keys."""
    count = func.count
    worked = and_(MentoringGroup.state != GroupState.PROPOSED, MentoringGroup.start_date <= end,
                  or_(MentoringGroup.end_date.is_(None), MentoringGroup.end_date >= start))
    in_period = and_(GroupMember.joined_at <= end, or_(GroupMember.left_at.is_(None), GroupMember.left_at >= start))
    # The members who worked in the period, read once (a CTE) for the people and for the young with a mentor.
    members = (select(GroupMember.institution_id, GroupMember.staff_id, GroupMember.role)
               .join(MentoringGroup, MentoringGroup.id == GroupMember.group_id).where(worked, in_period)
               .cte("members"))
    mentor, mentee = members.c.role == MemberRole.MENTOR, members.c.role == MemberRole.MENTEE
    people = (select(members.c.institution_id, count(distinct(members.c.staff_id)).filter(mentor).label("mentors"),
                     count(distinct(members.c.staff_id)).filter(mentee).label("mentees"))
              .group_by(members.c.institution_id))

    young = Staff.young_specialist_clause(as_of)
    mentee_ids = select(members.c.staff_id).where(mentee)
    staff = (select(Staff.institution_id, count().label("staff"), count().filter(young).label("young"),
                    count().filter(young, Staff.id.in_(mentee_ids)).label("young_with_mentor"))
             .where(or_(Staff.archived_at.is_(None),
                        Staff.archived_at >= datetime.combine(start, datetime.min.time(), tzinfo=UTC)))
             .group_by(Staff.institution_id))

    form = func.coalesce(MentoringForm.name, NO_FORM).label("form")
    per_form = (select(MentoringGroup.institution_id, form, count(MentoringGroup.id).label("n"))
                .join(MentoringForm, MentoringForm.id == MentoringGroup.form_id, isouter=True).where(worked)
                .group_by(MentoringGroup.institution_id, form).subquery("per_form"))
    forms = (select(per_form.c.institution_id, json_object_agg(per_form.c.form, per_form.c.n).label("groups_by_form"))
             .group_by(per_form.c.institution_id))

    ended = Program.completed_at.between(start, end)
    programs = (select(Program.institution_id,
                       count().filter(or_(Program.completed_at.is_(None), Program.completed_at >= start))
                       .label("programs_active"),
                       count().filter(Program.state == ProgramState.COMPLETED, ended).label("programs_completed"),
                       count().filter(Program.state == ProgramState.TERMINATED, ended).label("programs_terminated"))
                .where(Program.start_date <= end, Program.end_date >= start, Program.state != ProgramState.DRAFT)
                .group_by(Program.institution_id))

    items = (select(PlanItem.institution_id, count().filter(PlanItem.status == PlanItemStatus.DONE).label("items_done"),
                    count().filter(or_(PlanItem.status == PlanItemStatus.OVERDUE,
                                       and_(PlanItem.status == PlanItemStatus.PLANNED, PlanItem.due_date < as_of)))
                    .label("items_overdue"))
             .where(PlanItem.due_date.between(start, end)).group_by(PlanItem.institution_id))

    meetings = (select(Meeting.institution_id, count().label("meetings")).where(Meeting.held_on.between(start, end))
                .group_by(Meeting.institution_id))

    acks = (select(Acknowledgement.institution_id, count().label("acks_total"),
                   count(Acknowledgement.acknowledged_at).label("acks_done"))
            .join(Order, Order.id == Acknowledgement.order_id)
            .where(Order.issued_at.is_not(None), Order.issued_on.between(start, end))
            .group_by(Acknowledgement.institution_id))

    tasks = (select(RoadmapTask.institution_id, count().label("tasks_total"),
                    count().filter(RoadmapTask.status.in_([TaskStatus.SUBMITTED, TaskStatus.ACCEPTED]))
                    .label("tasks_submitted"),
                    count().filter(RoadmapTask.status == TaskStatus.ACCEPTED).label("tasks_accepted"),
                    count().filter(RoadmapTask.status.in_([TaskStatus.OPEN, TaskStatus.RETURNED]),
                                   RoadmapTask.working_due_date < today).label("tasks_overdue"))
             .where(RoadmapTask.due_date.between(start, end)).group_by(RoadmapTask.institution_id))

    rewarded = (select(Incentive.institution_id, count(distinct(Incentive.staff_id)).label("mentors_rewarded"))
                .where(Incentive.awarded_on.between(start, end)).group_by(Incentive.institution_id))

    families = {"people": people, "staff_figures": staff, "forms": forms,
                "programs": programs, "items": items, "meetings": meetings, "acks": acks, "tasks": tasks,
                "rewarded": rewarded}
    return [q.subquery(name) for name, q in families.items()]


def upsert_snapshots(period: str, figures: dict[int, dict], computed_at: datetime) -> None:
    """One INSERT … SELECT … ON CONFLICT (institution_id, period) DO UPDATE for all of them (PostgreSQL and SQLite
    share the syntax): computing twice leaves one row per institution with the latest figures, and a twin task running at
    the same time cannot make a second row."""
    if not figures:
        return
    scope = current_scope()
    if not scope.everything and not set(figures) <= scope.institution_ids:
        # A Core INSERT passes the ORM's before_flush check; the scope is checked here instead.
        raise TenantViolation("snapshots outside the current institution scope")
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    # The rows travel as ONE JSON parameter {institution_id: figures} unpacked by json_each (PostgreSQL and SQLite
    # both have it, with the same key and value columns): one short statement whatever the chunk's size, one
    # serialization, instead of a VALUES list of four parameters per row that the driver has to parse each time.
    rows = func.json_each(bindparam("rows", type_=JSON)).table_valued("key", "value").alias("row")
    table = Snapshot.__table__
    stmt = insert(table).from_select(
        ["institution_id", "period", "figures", "computed_at"],
        # WHERE true: SQLite reads an ON CONFLICT after INSERT … SELECT … FROM as a join's ON without it.
        select(cast(rows.c.key, Integer), literal(period, table.c.period.type), rows.c.value,
               literal(computed_at, table.c.computed_at.type)).where(true()))
    stmt = stmt.on_conflict_do_update(
        index_elements=["institution_id", "period"],
        set_={"figures": stmt.excluded.figures, "computed_at": stmt.excluded.computed_at})
    # In the institutions' order: twin tasks lock the same rows in the same order, so they wait, never deadlock.
    db.session.execute(stmt, {"rows": {str(i): figures[i] for i in sorted(figures)}})
