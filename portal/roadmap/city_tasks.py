"""The education department's own work on the roadmap (УО): the city's order, the contest, the seminars of
curators, the registry. The coordinator marks a task done with a note or evidence; a document of the portal
(the city's protocol, the contest's results, the registry) marks it done by itself (roadmap.evidence)."""
from __future__ import annotations

from datetime import date

from portal import clock
from portal.errors import Invalid
from portal.extensions import db
from portal.roadmap import evidence
from portal.roadmap.models import Activity, Roadmap
from portal.roadmap.work_models import CityTask, CityTaskStatus
from tenants.queries import get_or_404


def of_year(row: Roadmap, year: int, today: date | None = None) -> dict[str, list[CityTask]]:
    """The department's tasks of a year (the year's own periods, a one-off or a plan's date that year)."""
    today = today or date.today()
    rows = [t for t in db.session.execute(db.select(CityTask).join(Activity, Activity.id == CityTask.activity_id)
                                          .where(Activity.roadmap_id == row.id)
                                          .order_by(CityTask.due_date, CityTask.id)).scalars()
            if t.period.startswith(str(year)) or (t.due_date is not None and t.due_date.year == year
                                                  and not t.period[:4].isdigit())]
    return {"overdue": [t for t in rows if t.is_overdue(today)],
            "open": [t for t in rows if t.status is CityTaskStatus.OPEN and not t.is_overdue(today)],
            "done": [t for t in rows if t.status is CityTaskStatus.DONE]}


def city_task(task_id: int) -> CityTask:
    return get_or_404(CityTask, task_id, "Задача управления образования не найдена.")


def mark_done(task: CityTask, note: str, user_id: int) -> CityTask:
    note = (note or "").strip()
    if not note and not evidence.of_city_task(task):
        raise Invalid("note", "Напишите, чем подтверждается выполнение (приказ, протокол, ссылка), или добавьте запись.")
    task.status, task.done_at, task.done_by_id = CityTaskStatus.DONE, clock.now(), user_id
    task.note = note[:5000] or task.note
    db.session.commit()
    return task


def reopen(task: CityTask) -> CityTask:
    if task.status is not CityTaskStatus.DONE:
        raise Invalid("state", "Задача и так не выполнена.")
    task.status, task.done_at, task.done_by_id = CityTaskStatus.OPEN, None, None
    db.session.commit()
    return task
