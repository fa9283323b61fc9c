"""The dates of a separate plan («по отдельному плану»): the coordinator's, which every institution works to, and
an institution's own (its methodological association's meetings come here by themselves). Each change makes or
removes the dated tasks of that year at once."""
from __future__ import annotations

from datetime import date

from portal.errors import Invalid
from portal.extensions import db
from portal.formatting import parse_ru_date
from portal.roadmap import deadlines, generation
from portal.roadmap.models import Activity, Level, Roadmap
from portal.roadmap.work_models import CityPlanDate, InstitutionPlanDate
from tenants.queries import get_or_404


def _check(activity: Activity, data: dict) -> tuple[date, str]:
    errors = {}
    if activity.parsed_rule is None or activity.parsed_rule.kind != deadlines.BY_PLAN:
        raise Invalid("on", "Даты задаются только мероприятиям «по отдельному плану».")
    on = data["on"] if isinstance(data.get("on"), date) else parse_ru_date(data.get("on") or "")
    roadmap = activity.roadmap
    if on is None:
        errors["on"] = "Дата в формате дд.мм.гггг."
    elif not roadmap.first_year <= on.year <= roadmap.last_year:
        errors["on"] = f"Дата внутри периода дорожной карты: {roadmap.first_year}–{roadmap.last_year}."
    title = " ".join((data.get("title") or "").split())
    if not title:
        errors["title"] = "Что пройдёт в этот день: например, «Заседание ШМО № 2»."
    if errors:
        raise Invalid(fields=errors)
    return on, title[:300]


def city_dates(activity: Activity) -> list[CityPlanDate]:
    return list(db.session.execute(db.select(CityPlanDate).where(CityPlanDate.activity_id == activity.id)
                                   .order_by(CityPlanDate.day)).scalars())


def add_city_date(activity: Activity, data: dict) -> CityPlanDate:
    on, title = _check(activity, data)
    if db.session.execute(db.select(CityPlanDate.id).where(CityPlanDate.activity_id == activity.id,
                                                         CityPlanDate.day == on)).first():
        raise Invalid("on", "Эта дата уже есть в плане.")
    row = CityPlanDate(municipality_id=activity.municipality_id, activity_id=activity.id, day=on, title=title,
                       department_only=data.get("department_only") in ("1", "on", True))
    db.session.add(row)
    db.session.flush()
    generation.plan_changed(activity, None, on.year)
    db.session.commit()
    return row


def remove_city_date(activity: Activity, date_id: int) -> None:
    row = get_or_404(CityPlanDate, date_id, "Дата плана не найдена.", activity_id=activity.id)
    year = row.day.year
    db.session.delete(row)
    db.session.flush()
    generation.plan_changed(activity, None, year)
    db.session.commit()


def institution_dates(activity: Activity) -> list[InstitutionPlanDate]:
    return list(db.session.execute(db.select(InstitutionPlanDate).where(InstitutionPlanDate.activity_id == activity.id)
                                   .order_by(InstitutionPlanDate.day)).scalars())


def add_institution_date(activity: Activity, institution_id: int, data: dict, source: str = "",
                         source_id: int | None = None) -> InstitutionPlanDate:
    on, title = _check(activity, data)
    row = db.session.execute(db.select(InstitutionPlanDate).where(
        InstitutionPlanDate.activity_id == activity.id, InstitutionPlanDate.day == on)).scalar_one_or_none()
    if row is not None and not source:
        raise Invalid("on", "Эта дата уже есть в плане.")
    row = row or InstitutionPlanDate(institution_id=institution_id, activity_id=activity.id, day=on)
    row.title, row.source, row.source_id = title, source or row.source, source_id or row.source_id
    db.session.add(row)
    db.session.flush()
    generation.plan_changed(activity, institution_id, on.year)
    db.session.commit()
    return row


def remove_institution_date(activity: Activity, date_id: int) -> None:
    row = get_or_404(InstitutionPlanDate, date_id, "Дата плана не найдена.", activity_id=activity.id)
    institution_id, year = row.institution_id, row.day.year
    db.session.delete(row)
    db.session.flush()
    generation.plan_changed(activity, institution_id, year)
    db.session.commit()


# --- for producers of plans (the methodological association's meetings) --------------------------------------------

def _activities_answered_by(source: str, year: int, department: bool = False) -> list[Activity]:
    rows = db.session.execute(db.select(Activity).join(Roadmap, Roadmap.id == Activity.roadmap_id).where(
        Activity.evidence_source == source, Roadmap.first_year <= year, Roadmap.last_year >= year)).scalars()
    return [a for a in rows if (a.level is not Level.OO if department else a.for_institutions)
            and a.parsed_rule and a.parsed_rule.kind == deadlines.BY_PLAN]


def plan_for_source(institution_id: int, source: str, source_id: int, on: date, title: str) -> int:
    """A planned meeting of the institution becomes a date of the separate plan of every activity it answers
    (moved if the meeting moved); returns how many activities took it."""
    withdraw_source(source, source_id, keep_on=on)
    acts = _activities_answered_by(source, on.year)
    for a in acts:
        add_institution_date(a, institution_id, {"on": on, "title": title}, source=f"{source}_meeting",
                             source_id=source_id)
    db.session.commit()
    return len(acts)


def withdraw_source(source: str, source_id: int, keep_on: date | None = None) -> None:
    """A planned meeting was cancelled (or moved to `keep_on`): its old dates leave the plans."""
    rows = list(db.session.execute(db.select(InstitutionPlanDate).where(
        InstitutionPlanDate.source == f"{source}_meeting", InstitutionPlanDate.source_id == source_id)).scalars())
    for row in rows:
        if row.day == keep_on:
            continue
        activity, institution_id, year = db.session.get(Activity, row.activity_id), row.institution_id, row.day.year
        db.session.delete(row)
        db.session.flush()
        generation.plan_changed(activity, institution_id, year)


def plan_for_city_source(source: str, source_id: int, on: date, title: str) -> int:
    """A planned meeting of the city's ГМО: a date of the department's own plan (not every institution's)."""
    withdraw_city_source(source, source_id, keep_on=on)
    acts = _activities_answered_by(source, on.year, department=True)
    for a in acts:
        row = db.session.execute(db.select(CityPlanDate).where(CityPlanDate.activity_id == a.id,
                                                              CityPlanDate.day == on)).scalar_one_or_none()
        if row is None:
            row = CityPlanDate(municipality_id=a.municipality_id, activity_id=a.id, day=on, department_only=True)
            db.session.add(row)
        row.title, row.source, row.source_id = title[:300], f"{source}_meeting", source_id
        db.session.flush()
        generation.plan_changed(a, None, on.year)
    db.session.commit()
    return len(acts)


def withdraw_city_source(source: str, source_id: int, keep_on: date | None = None) -> None:
    rows = list(db.session.execute(db.select(CityPlanDate).where(
        CityPlanDate.source == f"{source}_meeting", CityPlanDate.source_id == source_id)).scalars())
    for row in rows:
        if row.day == keep_on:
            continue
        activity, year = db.session.get(Activity, row.activity_id), row.day.year
        db.session.delete(row)
        db.session.flush()
        generation.plan_changed(activity, None, year)
