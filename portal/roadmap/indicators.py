"""Indicators of one institution for one period, computed from live data, and their idempotent snapshot.

Periods: «2023-Q1» (a calendar quarter) or «2022-2023» (an academic year, 1 September to 31 August). Figures are
the state during the period: a pair counts if it worked at any time in it; a program is «active» if it ran in it,
«completed»/«terminated» if it ended in it. Runs inside the institution's scope."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from portal.errors import Invalid
from portal.extensions import db
from portal.mentoring.models import (Acknowledgement, GroupMember, Meeting, MentoringGroup, Order, PlanItem, Program)
from portal.mentoring.states import GroupState, MemberRole, PlanItemStatus, ProgramState
from portal.roadmap.models import RoadmapTask, Snapshot, TaskStatus
from portal.staff.models import Staff

# Figures in the order reports show them, with their Russian names.
FIGURES = {
    "staff": "Педагогических работников",
    "mentors": "Наставников",
    "mentees": "Наставляемых",
    "groups": "Пар и групп",
    "young": "Молодых специалистов",
    "young_with_mentor": "Молодых специалистов с наставником",
    "young_with_mentor_pct": "Доля молодых специалистов с наставником, %",
    "programs_active": "Программ реализовывалось",
    "programs_completed": "Программ завершено",
    "programs_terminated": "Программ прекращено",
    "items_done": "Мероприятий выполнено",
    "items_overdue": "Мероприятий просрочено",
    "meetings": "Встреч наставников и наставляемых",
    "acks_total": "Ознакомлений с приказами требовалось",
    "acks_done": "Ознакомлены",
    "tasks_total": "Задач дорожной карты",
    "tasks_submitted": "Задач сдано",
    "tasks_accepted": "Задач принято",
    "tasks_overdue": "Задач просрочено",
    "satisfaction": "Удовлетворённость участников (из 10)",
}
SUMMED = [k for k in FIGURES if k not in ("young_with_mentor_pct", "satisfaction")]


def bounds(period: str) -> tuple[date, date]:
    """First and last day of «2023-Q1» or «2022-2023»; a clear error for anything else."""
    if m := re.fullmatch(r"(20\d\d)-Q([1-4])", period or ""):
        year, q = int(m[1]), int(m[2])
        start = date(year, 3 * q - 2, 1)
        end = (date(year + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=1))
        return start, end
    if m := re.fullmatch(r"(20\d\d)-(20\d\d)", period or ""):
        if int(m[2]) == int(m[1]) + 1:
            return date(int(m[1]), 9, 1), date(int(m[2]), 8, 31)
    raise Invalid("period", "Период: квартал «2023-Q1» или учебный год «2022-2023».")


def previous_quarter(today: date) -> str:
    q = (today.month - 1) // 3
    return f"{today.year - 1}-Q4" if q == 0 else f"{today.year}-Q{q}"


def quarters(start: str, end: str) -> list[str]:
    y, q = int(start[:4]), int(start[-1])
    out = []
    while f"{y}-Q{q}" <= end:
        out.append(f"{y}-Q{q}")
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


def compute(period: str, today: date | None = None) -> dict:
    start, end = bounds(period)
    today = today or date.today()
    as_of = min(end, today)
    count = db.func.count
    worked = db.select(MentoringGroup.id).where(
        MentoringGroup.state != GroupState.PROPOSED, MentoringGroup.start_date <= end,
        (MentoringGroup.end_date.is_(None)) | (MentoringGroup.end_date >= start))
    members = db.select(GroupMember.staff_id, GroupMember.role).where(
        GroupMember.group_id.in_(worked), GroupMember.joined_at <= end,
        (GroupMember.left_at.is_(None)) | (GroupMember.left_at >= start))
    mentor_ids = {sid for sid, role in db.session.execute(members) if role is MemberRole.MENTOR}
    mentee_ids = {sid for sid, role in db.session.execute(members) if role is MemberRole.MENTEE}
    staff = list(db.session.execute(db.select(Staff).where(
        (Staff.archived_at.is_(None)) | (Staff.archived_at >= datetime.combine(start, datetime.min.time())))).scalars())
    young = [s for s in staff if s.is_young_specialist(as_of)]
    young_with = [s for s in young if s.id in mentee_ids]
    programs = db.select(Program).where(Program.start_date <= end, Program.end_date >= start,
                                        Program.state != ProgramState.DRAFT)
    program_rows = list(db.session.execute(programs).scalars())
    ended_in = lambda p, state: p.state is state and p.completed_at and start <= p.completed_at <= end  # noqa: E731
    items = db.select(PlanItem).join(Program).where(PlanItem.due_date.between(start, end))
    item_rows = list(db.session.execute(items).scalars())
    acks = list(db.session.execute(db.select(Acknowledgement).join(Order).where(
        Order.issued_at.is_not(None), Order.issued_on.between(start, end))).scalars())
    tasks = list(db.session.execute(db.select(RoadmapTask).where(RoadmapTask.due_date.between(start, end))).scalars())
    return {
        "staff": len(staff),
        "mentors": len(mentor_ids),
        "mentees": len(mentee_ids),
        "groups": db.session.execute(db.select(count()).select_from(worked.subquery())).scalar_one(),
        "groups_by_form": _groups_by_form(worked),
        "young": len(young),
        "young_with_mentor": len(young_with),
        "young_with_mentor_pct": round(100 * len(young_with) / len(young), 1) if young else None,
        "programs_active": sum(1 for p in program_rows if p.start_date <= end and (p.completed_at is None
                                                                                 or p.completed_at >= start)),
        "programs_completed": sum(1 for p in program_rows if ended_in(p, ProgramState.COMPLETED)),
        "programs_terminated": sum(1 for p in program_rows if ended_in(p, ProgramState.TERMINATED)),
        "items_done": sum(1 for i in item_rows if i.status is PlanItemStatus.DONE),
        "items_overdue": sum(1 for i in item_rows if i.status is PlanItemStatus.OVERDUE
                             or (i.status is PlanItemStatus.PLANNED and i.due_date < as_of)),
        "meetings": db.session.execute(db.select(count(Meeting.id)).where(Meeting.held_on.between(start, end))).scalar_one(),
        "acks_total": len(acks),
        "acks_done": sum(1 for a in acks if a.acknowledged_at is not None),
        "tasks_total": len(tasks),
        "tasks_submitted": sum(1 for t in tasks if t.status in (TaskStatus.SUBMITTED, TaskStatus.ACCEPTED)),
        "tasks_accepted": sum(1 for t in tasks if t.status is TaskStatus.ACCEPTED),
        "tasks_overdue": sum(1 for t in tasks if t.is_overdue(today)),
        "satisfaction": None,   # filled when satisfaction surveys exist (the registry and surveys issue)
    }


def _groups_by_form(worked) -> dict[str, int]:
    from portal.mentoring.models import MentoringForm

    rows = db.session.execute(db.select(MentoringForm.name, db.func.count(MentoringGroup.id))
                              .join(MentoringForm, MentoringForm.id == MentoringGroup.form_id, isouter=True)
                              .where(MentoringGroup.id.in_(worked)).group_by(MentoringForm.name)).all()
    return {(name or "Не указана"): n for name, n in rows}


def snapshot(institution_id: int, period: str, today: date | None = None) -> Snapshot:
    """Upsert keyed by institution × period: computing twice leaves one row with the latest figures."""
    figures = compute(period, today)
    row = db.session.execute(db.select(Snapshot).where(Snapshot.period == period)).scalar_one_or_none()
    if row is None:
        row = Snapshot(institution_id=institution_id, period=period, figures=figures, computed_at=datetime.utcnow())
        db.session.add(row)
    else:
        row.figures, row.computed_at = figures, datetime.utcnow()
    db.session.commit()
    return row


def city_totals(snapshots: list[Snapshot]) -> dict:
    totals = {k: sum((s.figures.get(k) or 0) for s in snapshots) for k in SUMMED}
    totals["young_with_mentor_pct"] = (round(100 * totals["young_with_mentor"] / totals["young"], 1)
                                       if totals["young"] else None)
    forms: dict[str, int] = {}
    for s in snapshots:
        for name, n in (s.figures.get("groups_by_form") or {}).items():
            forms[name] = forms.get(name, 0) + n
    totals["groups_by_form"] = forms
    totals["satisfaction"] = None
    return totals
