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
    members = list(db.session.execute(db.select(GroupMember.staff_id, GroupMember.role).where(
        GroupMember.group_id.in_(worked), GroupMember.joined_at <= end,
        (GroupMember.left_at.is_(None)) | (GroupMember.left_at >= start))))
    mentor_ids = {sid for sid, role in members if role is MemberRole.MENTOR}
    mentee_ids = {sid for sid, role in members if role is MemberRole.MENTEE}
    staff = list(db.session.execute(db.select(Staff).where(
        (Staff.archived_at.is_(None)) | (Staff.archived_at >= datetime.combine(start, datetime.min.time())))).scalars())
    young = [s for s in staff if s.is_young_specialist(as_of)]
    young_with = [s for s in young if s.id in mentee_ids]
    # The rest as aggregates in the database: one small query each, no rows brought over.
    ended = Program.completed_at.between(start, end)
    programs = db.session.execute(db.select(
        count().filter((Program.completed_at.is_(None)) | (Program.completed_at >= start)),
        count().filter(Program.state == ProgramState.COMPLETED, ended),
        count().filter(Program.state == ProgramState.TERMINATED, ended),
    ).where(Program.start_date <= end, Program.end_date >= start, Program.state != ProgramState.DRAFT)).one()
    items = db.session.execute(db.select(
        count().filter(PlanItem.status == PlanItemStatus.DONE),
        count().filter((PlanItem.status == PlanItemStatus.OVERDUE)
                       | ((PlanItem.status == PlanItemStatus.PLANNED) & (PlanItem.due_date < as_of))),
    ).where(PlanItem.due_date.between(start, end))).one()
    acks = db.session.execute(db.select(count(), count(Acknowledgement.acknowledged_at)).select_from(Acknowledgement)
                              .join(Order).where(Order.issued_at.is_not(None), Order.issued_on.between(start, end))).one()
    open_states = [TaskStatus.OPEN, TaskStatus.RETURNED]
    tasks = db.session.execute(db.select(
        count(),
        count().filter(RoadmapTask.status.in_([TaskStatus.SUBMITTED, TaskStatus.ACCEPTED])),
        count().filter(RoadmapTask.status == TaskStatus.ACCEPTED),
        count().filter(RoadmapTask.status.in_(open_states), RoadmapTask.working_due_date < today),
    ).where(RoadmapTask.due_date.between(start, end))).one()
    by_form = _groups_by_form(worked)
    return {
        "staff": len(staff),
        "mentors": len(mentor_ids),
        "mentees": len(mentee_ids),
        "groups": sum(by_form.values()),
        "groups_by_form": by_form,
        "young": len(young),
        "young_with_mentor": len(young_with),
        "young_with_mentor_pct": round(100 * len(young_with) / len(young), 1) if young else None,
        "programs_active": programs[0],
        "programs_completed": programs[1],
        "programs_terminated": programs[2],
        "items_done": items[0],
        "items_overdue": items[1],
        "meetings": db.session.execute(db.select(count(Meeting.id)).where(Meeting.held_on.between(start, end))).scalar_one(),
        "acks_total": acks[0],
        "acks_done": acks[1],
        "tasks_total": tasks[0],
        "tasks_submitted": tasks[1],
        "tasks_accepted": tasks[2],
        "tasks_overdue": tasks[3],
        "satisfaction": _satisfaction(start, end),
    }


def _satisfaction(start: date, end: date) -> float | None:
    """Mean answer to the surveys' satisfaction questions in the quarters the period touches (1–10)."""
    from portal.surveys.services import quarter_of, satisfaction

    first, last = quarter_of(start), quarter_of(end)
    return satisfaction(set(quarters(first, last)))


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
    values = [s.figures.get("satisfaction") for s in snapshots if s.figures.get("satisfaction") is not None]
    totals["satisfaction"] = round(sum(values) / len(values), 1) if values else None  # mean of the institutions
    return totals
