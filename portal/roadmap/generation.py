"""Turning a roadmap's activities into trackable work for a year: the institutions' tasks (ОО), the education
department's own tasks (УО), the dates of separate plans and the work on each completed program.

Idempotent: existing tasks keep their evidence and status, only their due dates follow a changed rule. A task of a
separate plan whose date was taken off the plan, or the year's placeholder once the plan has dates, is removed
only while nobody has touched it (no evidence, no files, never submitted)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from portal.errors import Invalid
from portal.extensions import db
from portal.mentoring.states import ProgramState
from portal.programs.models import Program
from portal.roadmap import deadlines, evidence
from portal.roadmap.models import Activity, Level, Roadmap, RoadmapTask, TaskStatus
from portal.roadmap.work_models import CityPlanDate, CityTask, InstitutionPlanDate, TaskEvidence
from portal.uploads.models import Attachment
from tenants.models import Institution


def generate(row: Roadmap, year: int, activities: list[Activity] | None = None,
             institution_ids: list[int] | None = None) -> int:
    """Every task of `year` for the given activities (all) and institutions (all of the city, and then the
    department's own tasks too); returns how many were created."""
    if not row.first_year <= year <= row.last_year:
        raise Invalid("year", f"Год вне периода дорожной карты ({row.first_year}–{row.last_year}).")
    activities = activities if activities is not None else row.activities
    with_city = institution_ids is None  # the department's own tasks only when the whole city is generated
    if institution_ids is None:
        institution_ids = list(db.session.execute(db.select(Institution.id).where(
            Institution.municipality_id == row.municipality_id)).scalars())
    ids = [a.id for a in activities]
    city_dates, department_dates, own_dates = _plan_dates(ids, institution_ids)
    programs = _completed_programs(year, institution_ids) if any(
        a.parsed_rule and a.parsed_rule.kind == deadlines.AFTER_PROGRAM for a in activities) else []
    existing = {(t.institution_id, t.activity_id, t.period): t for t in db.session.execute(
        db.select(RoadmapTask).where(RoadmapTask.activity_id.in_(ids), RoadmapTask.institution_id.in_(institution_ids)))
        .scalars()}
    created, wanted = 0, set()
    for a in activities:
        rule = a.parsed_rule
        if a.for_institutions and rule is not None:
            for institution_id, due in _institution_dues(a, rule, year, row, institution_ids, city_dates, own_dates,
                                                         programs):
                key = (institution_id, a.id, due.period)
                wanted.add(key)
                task = existing.get(key)
                if task is None:
                    task = RoadmapTask(institution_id=institution_id, activity_id=a.id, period=due.period,
                                       due_date=due.nominal, working_due_date=due.working)
                    db.session.add(task)
                    existing[key] = task
                    created += 1
                else:
                    task.due_date, task.working_due_date = due.nominal, due.working
        if with_city and a.level in (Level.UO, Level.BOTH) and rule is not None:
            created += _city_tasks(row, a, rule, year, department_dates.get(a.id, []))
    _drop_untouched_plan_tasks(activities, year, existing, wanted)
    db.session.flush()
    evidence.match_institution_documents(activity_ids=ids)
    evidence.match_city_documents(activity_ids=ids)
    db.session.commit()
    return created


def generate_period(row: Roadmap) -> int:
    """Every year of the roadmap's period at once."""
    return sum(generate(row, year) for year in range(row.first_year, row.last_year + 1))


def _institution_dues(a: Activity, rule, year: int, row: Roadmap, institution_ids, city_dates, own_dates, programs):
    if rule.kind == deadlines.AFTER_PROGRAM:
        for program_id, institution_id, completed_on in programs:
            yield institution_id, deadlines.after_program_due(program_id, completed_on)
        return
    for institution_id in institution_ids:
        plan = city_dates.get(a.id, []) + own_dates.get((institution_id, a.id), [])
        for due in deadlines.due_dates(rule, year, row.period, plan):
            yield institution_id, due


def _city_tasks(row: Roadmap, a: Activity, rule, year: int, plan: list[date]) -> int:
    """The education department's own work on an activity: by its rule, and «по итогам программ» once a year."""
    if rule.kind == deadlines.AFTER_PROGRAM:
        dues = deadlines.due_dates(deadlines.Rule(deadlines.YEARLY), year, row.period)
    else:
        dues = deadlines.due_dates(rule, year, row.period, plan)
    have = {t.period: t for t in db.session.execute(db.select(CityTask).where(CityTask.activity_id == a.id)).scalars()}
    made = 0
    for due in dues:
        task = have.get(due.period)
        if task is None:
            db.session.add(CityTask(municipality_id=row.municipality_id, activity_id=a.id, period=due.period,
                                    due_date=due.nominal, working_due_date=due.working))
            made += 1
        else:
            task.due_date, task.working_due_date = due.nominal, due.working
    if rule.kind == deadlines.BY_PLAN:
        wanted = {d.period for d in dues}
        for period, task in have.items():
            if period not in wanted and _in_year(period, task.due_date, year) and task.done_at is None and not task.note:
                db.session.delete(task)
    return made


def _in_year(period: str, due: date | None, year: int) -> bool:
    return period == str(year) or (deadlines.is_plan_period(period) and due is not None and due.year == year)


def _drop_untouched_plan_tasks(activities, year: int, existing: dict, wanted: set) -> None:
    by_plan = {a.id for a in activities if a.parsed_rule and a.parsed_rule.kind == deadlines.BY_PLAN}
    stale = [t for key, t in existing.items() if key[1] in by_plan and key not in wanted and t.id is not None
             and _in_year(t.period, t.due_date, year) and t.status is TaskStatus.OPEN and t.submitted_at is None]
    if not stale:
        return

    ids = [t.id for t in stale]
    touched = set(db.session.execute(db.select(TaskEvidence.task_id).where(TaskEvidence.task_id.in_(ids))).scalars())
    touched |= set(db.session.execute(db.select(Attachment.owner_id).where(
        Attachment.owner_type == "roadmap_task", Attachment.owner_id.in_(ids))).scalars())
    for t in stale:
        if t.id not in touched:
            db.session.delete(t)


def _plan_dates(activity_ids, institution_ids) -> tuple[dict, dict, dict]:
    """(dates every institution works to, the department's own dates, each institution's own dates)."""
    city: dict[int, list[date]] = defaultdict(list)
    department: dict[int, list[date]] = defaultdict(list)
    for activity_id, on, only in db.session.execute(db.select(
            CityPlanDate.activity_id, CityPlanDate.day, CityPlanDate.department_only).where(
            CityPlanDate.activity_id.in_(activity_ids))):
        department[activity_id].append(on)
        if not only:
            city[activity_id].append(on)
    own: dict[tuple[int, int], list[date]] = defaultdict(list)
    for institution_id, activity_id, on in db.session.execute(db.select(
            InstitutionPlanDate.institution_id, InstitutionPlanDate.activity_id, InstitutionPlanDate.day).where(
            InstitutionPlanDate.activity_id.in_(activity_ids), InstitutionPlanDate.institution_id.in_(institution_ids))):
        own[(institution_id, activity_id)].append(on)
    return city, department, own


def _completed_programs(year: int, institution_ids) -> list[tuple[int, int, date]]:
    """Programs that ended in `year` (completed or terminated: both are surveyed and summed up)."""
    return list(db.session.execute(db.select(Program.id, Program.institution_id, Program.completed_at).where(
        Program.state.in_([ProgramState.COMPLETED, ProgramState.TERMINATED]), Program.completed_at.is_not(None),
        Program.completed_at.between(date(year, 1, 1), date(year, 12, 31)),
        Program.institution_id.in_(institution_ids))).tuples())


# --- hooks for the work of one institution ------------------------------------------------------------------------

def _roadmaps_covering(year: int) -> list[Roadmap]:
    return list(db.session.execute(db.select(Roadmap).where(Roadmap.first_year <= year, Roadmap.last_year >= year))
                .scalars())


def program_ended(institution_id: int, completed_on: date) -> int:
    """A program ended: the work «по итогам реализации программы» of every roadmap covering that year."""
    made = 0
    for row in _roadmaps_covering(completed_on.year):
        acts = [a for a in row.activities if a.for_institutions and a.parsed_rule
                and a.parsed_rule.kind == deadlines.AFTER_PROGRAM]
        if acts:
            made += generate(row, completed_on.year, acts, [institution_id])
    return made


def plan_changed(activity: Activity, institution_id: int | None, year: int) -> int:
    """The dates of a separate plan changed (the coordinator's: institution_id None, for every institution)."""
    row = activity.roadmap
    if not row.first_year <= year <= row.last_year:
        return 0
    return generate(row, year, [activity], None if institution_id is None else [institution_id])
