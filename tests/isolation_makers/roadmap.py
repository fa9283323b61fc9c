"""Isolation makers for the roadmap: a task (and its file) of the given institution; city rows of a municipality."""
from __future__ import annotations

from portal.extensions import db
from tenants.context import platform_scope


def make_roadmap(municipality_id: int):
    from portal.roadmap.models import Activity, Level, Roadmap, RoadmapSection

    with platform_scope("test maker"):
        row = Roadmap(municipality_id=municipality_id, title="Дорожная карта", first_year=2024, last_year=2026)
        section = RoadmapSection(municipality_id=municipality_id, position=1, title="Раздел")
        section.activities.append(Activity(municipality_id=municipality_id, roadmap=row, number=1,
                                           title="Заключение соглашений", deadline_text="Ежегодно до 01 октября",
                                           rule={"kind": "yearly_by_date", "month": 10, "day": 1}, level=Level.OO))
        row.sections.append(section)
        db.session.add(row)
        db.session.commit()
        return row


def make_task(inst):
    from datetime import date

    from portal.roadmap.models import RoadmapTask

    roadmap = make_roadmap(inst.municipality_id)
    with platform_scope("test maker"):
        task = RoadmapTask(institution_id=inst.id, activity_id=roadmap.activities[0].id, period="2025",
                           due_date=date(2025, 10, 1), working_due_date=date(2025, 10, 1))
        db.session.add(task)
        db.session.commit()
        return task


def _file(inst):
    from portal.uploads.models import Attachment

    task = make_task(inst)
    with platform_scope("test maker"):
        row = Attachment(institution_id=inst.id, owner_type="roadmap_task", owner_id=task.id, filename="протокол.pdf",
                         storage_key=f"{inst.id}/rm-{task.id}", content_type="application/pdf", size=4, sha256="0" * 64)
        db.session.add(row)
        db.session.commit()
        return row.id


MAKERS = {
    "task_id": lambda inst: make_task(inst).id,
    "file_id": _file,
}
# City routes: ids of rows that belong to a municipality (or to one of its institutions).
CITY_MAKERS = {
    "roadmap_id": lambda city: make_roadmap(city.id).id,
    "activity_id": lambda city: make_roadmap(city.id).activities[0].id,
    "place_id": lambda city: _institution(city),   # an institution of the other city (a cell of the matrix)
}


def _institution(city) -> int:
    from tests.factories import make_institution

    return make_institution(city).id


def _by_plan_activity(municipality_id: int):
    """An activity «по отдельному плану» of a roadmap of the city."""
    from portal.roadmap.models import Activity, Level

    roadmap = make_roadmap(municipality_id)
    with platform_scope("test maker"):
        row = Activity(municipality_id=municipality_id, roadmap_id=roadmap.id, section_id=roadmap.sections[0].id,
                       number=9, title="Заседания ШМО", deadline_text="по отдельному плану", rule={"kind": "by_plan"},
                       level=Level.BOTH)
        db.session.add(row)
        db.session.commit()
        return row


def _own_date(inst):
    from datetime import date

    from portal.roadmap.work_models import InstitutionPlanDate

    activity = _by_plan_activity(inst.municipality_id)
    with platform_scope("test maker"):
        row = InstitutionPlanDate(institution_id=inst.id, activity_id=activity.id, day=date(2025, 11, 15),
                                  title="Заседание ШМО")
        db.session.add(row)
        db.session.commit()
        return row.id


def _city_task(city):
    from portal.roadmap.work_models import CityTask

    roadmap = make_roadmap(city.id)
    with platform_scope("test maker"):
        row = CityTask(municipality_id=city.id, activity_id=roadmap.activities[0].id, period="2025")
        db.session.add(row)
        db.session.commit()
        return row.id


def _city_date(city):
    from datetime import date

    from portal.roadmap.work_models import CityPlanDate

    activity = _by_plan_activity(city.id)
    with platform_scope("test maker"):
        row = CityPlanDate(municipality_id=city.id, activity_id=activity.id, day=date(2025, 11, 15), title="ГМО")
        db.session.add(row)
        db.session.commit()
        return row.id


MAKERS["own_date_id"] = _own_date
CITY_MAKERS.update({"city_task_id": _city_task, "city_date_id": _city_date})
