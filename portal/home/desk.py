"""The coordinator's desk (/m/<city>/): what waits for review, what is overdue and where, the institutions at
risk, this quarter's deadlines and the contest in progress. Everything runs in the city's scope (tenancy picks
the city's institutions) and is counted with a fixed number of grouped statements, whatever the city's size."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, exists, func, select

from portal.annual.models import AnnualReport, ReportState
from portal.contests.models import Contest, ContestState, Entry
from portal.extensions import db
from portal.mentoring.groups import LIVE
from portal.mentoring.models import GroupMember, MentoringGroup
from portal.mentoring.states import MemberRole
from portal.periods import current_quarter, period_label, quarter_bounds
from portal.roadmap.models import Activity, RoadmapTask, TaskStatus
from portal.roadmap.work_models import CityTask, CityTaskStatus
from portal.staff.models import Staff
from tenants.queries import institutions_of

REVIEW_LIST_LIMIT = 15
WAITING = (TaskStatus.OPEN, TaskStatus.RETURNED)


@dataclass
class InstitutionState:
    institution: object
    groups: int = 0
    young_without_mentor: int = 0
    overdue_tasks: int = 0
    submitted_tasks: int = 0
    overdue_report: bool = False

    @property
    def risks(self) -> list[str]:
        out = []
        if not self.groups:
            out.append("нет действующих пар и групп")
        if self.young_without_mentor:
            out.append(f"молодых специалистов без наставника: {self.young_without_mentor}")
        if self.overdue_tasks:
            out.append(f"просрочено задач дорожной карты: {self.overdue_tasks}")
        if self.overdue_report:
            out.append("годовой отчёт не сдан в срок")
        return out


@dataclass
class Deadline:
    activity: Activity
    due: date
    total: int
    accepted: int
    submitted: int


@dataclass
class Desk:
    today: date
    quarter: str
    institutions: list[InstitutionState]
    tasks_to_review: list[RoadmapTask]
    tasks_to_review_count: int
    reports_to_review: list[AnnualReport]
    overdue_reports: list[AnnualReport]
    city_tasks: list[CityTask]
    deadlines: list[Deadline]
    contests: list[tuple[Contest, int]] = field(default_factory=list)

    @property
    def quarter_label(self) -> str:
        return period_label(self.quarter)

    @property
    def at_risk(self) -> list[InstitutionState]:
        return [s for s in self.institutions if s.risks]

    @property
    def overdue(self) -> list[InstitutionState]:
        return sorted((s for s in self.institutions if s.overdue_tasks), key=lambda s: -s.overdue_tasks)

    @property
    def overdue_tasks(self) -> int:
        return sum(s.overdue_tasks for s in self.institutions)

    @property
    def overdue_city_tasks(self) -> list[CityTask]:
        return [t for t in self.city_tasks if t.is_overdue(self.today)]

    @property
    def city_tasks_this_quarter(self) -> list[CityTask]:
        start, end = quarter_bounds(self.quarter)
        return [t for t in self.city_tasks if t.working_due_date and start <= t.working_due_date <= end]


def _per_institution(stmt) -> dict[int, int]:
    return {i: n for i, n in db.session.execute(stmt)}


def coordinator_desk(municipality, today: date | None = None) -> Desk:
    today = today or date.today()
    quarter = current_quarter(today)
    q_start, q_end = quarter_bounds(quarter)
    states = {i.id: InstitutionState(i) for i in institutions_of(municipality)}

    groups = _per_institution(select(MentoringGroup.institution_id, func.count(MentoringGroup.id))
                              .where(MentoringGroup.state.in_(LIVE)).group_by(MentoringGroup.institution_id))
    has_mentor = exists().where(GroupMember.staff_id == Staff.id, GroupMember.role == MemberRole.MENTEE,
                                GroupMember.left_at.is_(None), GroupMember.group_id == MentoringGroup.id,
                                MentoringGroup.state.in_(LIVE))
    young = _per_institution(select(Staff.institution_id, func.count(Staff.id))
                             .where(Staff.archived_at.is_(None), Staff.young_specialist_clause(today), ~has_mentor)
                             .group_by(Staff.institution_id))
    overdue = and_(RoadmapTask.status.in_(WAITING), RoadmapTask.working_due_date < today)
    tasks = db.session.execute(
        select(RoadmapTask.institution_id,
               func.sum(case((overdue, 1), else_=0)),
               func.sum(case((RoadmapTask.status == TaskStatus.SUBMITTED, 1), else_=0)))
        .group_by(RoadmapTask.institution_id)).all()
    reports = list(db.session.execute(
        select(AnnualReport).where(AnnualReport.state.in_([ReportState.SUBMITTED, ReportState.DRAFT,
                                                           ReportState.RETURNED]))
        .order_by(AnnualReport.submitted_at, AnnualReport.due_date)).scalars())
    overdue_reports = [r for r in reports if r.is_overdue(today)]
    for inst_id, s in states.items():
        s.groups, s.young_without_mentor = groups.get(inst_id, 0), young.get(inst_id, 0)
    for inst_id, n_overdue, n_submitted in tasks:
        if inst_id in states:
            states[inst_id].overdue_tasks, states[inst_id].submitted_tasks = int(n_overdue or 0), int(n_submitted or 0)
    for r in overdue_reports:
        if r.institution_id in states:
            states[r.institution_id].overdue_report = True

    to_review = list(db.session.execute(
        select(RoadmapTask).where(RoadmapTask.status == TaskStatus.SUBMITTED)
        .options(db.joinedload(RoadmapTask.activity), db.joinedload(RoadmapTask.institution))
        .order_by(RoadmapTask.submitted_at, RoadmapTask.id).limit(REVIEW_LIST_LIMIT)).scalars())

    by_activity = db.session.execute(
        select(RoadmapTask.activity_id, func.min(RoadmapTask.working_due_date), func.count(RoadmapTask.id),
               func.sum(case((RoadmapTask.status == TaskStatus.ACCEPTED, 1), else_=0)),
               func.sum(case((RoadmapTask.status == TaskStatus.SUBMITTED, 1), else_=0)))
        .where(RoadmapTask.working_due_date.between(q_start, q_end)).group_by(RoadmapTask.activity_id)).all()
    city_tasks = list(db.session.execute(
        select(CityTask).where(CityTask.status == CityTaskStatus.OPEN, CityTask.working_due_date <= q_end)
        .options(db.joinedload(CityTask.activity)).order_by(CityTask.working_due_date, CityTask.id)).scalars())
    activities = {a.id: a for a in db.session.execute(
        select(Activity).where(Activity.id.in_([row[0] for row in by_activity]))).scalars()} if by_activity else {}
    deadlines = sorted((Deadline(activities[a], due, n, int(acc or 0), int(sub or 0))
                        for a, due, n, acc, sub in by_activity if a in activities), key=lambda d: (d.due, d.activity.number))

    entries = defaultdict(int)
    contests = list(db.session.execute(
        select(Contest).where(Contest.state.in_([ContestState.OPEN, ContestState.JUDGING])).order_by(Contest.entries_until))
        .scalars())
    if contests:
        entries.update(db.session.execute(select(Entry.contest_id, func.count(Entry.id))
                                          .where(Entry.contest_id.in_([c.id for c in contests]))
                                          .group_by(Entry.contest_id)).all())
    return Desk(today=today, quarter=quarter, institutions=list(states.values()), tasks_to_review=to_review,
                tasks_to_review_count=sum(s.submitted_tasks for s in states.values()),
                reports_to_review=[r for r in reports if r.state is ReportState.SUBMITTED],
                overdue_reports=overdue_reports, city_tasks=city_tasks, deadlines=deadlines,
                contests=[(c, entries[c.id]) for c in contests])
