"""Evidence the portal itself produced attaches itself to the roadmap task it answers: nobody downloads a
protocol, an order or the registry from the portal to upload it back.

A producer (the methodological association, orders, surveys, the registry, partners, training…) calls
`record(...)` with the kind of document (`SOURCES`), its id, date, title and link. The document is kept as a
pending row; it is matched now to the tasks of the activities whose `evidence_source` names that kind, and again
whenever tasks are generated later. A task answered by a document of the portal is accepted at once: the document
is the record the coordinator would otherwise read from a scan. Entries written by hand during the year
(«постоянно») are evidence too, and leave the task's status alone.

This module imports only the roadmap's own models. Producers reach it through portal/evidence.py, which the
roadmap's register(app) points here: a producer never imports the roadmap, which reads the producers' figures.
"""
from __future__ import annotations

from datetime import date

from portal import clock
from portal.errors import Invalid
from portal.extensions import db
from portal.formatting import parse_ru_date
from portal.roadmap import deadlines
from portal.roadmap.models import Activity, RoadmapTask, TaskStatus
from portal.roadmap.work_models import CityTask, CityTaskEvidence, CityTaskStatus, TaskEvidence
from tenants.queries import member_of

SOURCES = {
    "association_protocol": "Протокол заседания методического объединения (ШМО, совета наставников; ГМО — у УО)",
    "association_plan": "План работы методического объединения на учебный год",
    "city_seminar": "Протокол городского семинара (совещания) кураторов: участие организации",
    "institution_roadmap": "Приказ об утверждении дорожной карты организации",
    "incentive_order": "Приказ о поощрении наставников",
    "survey_results": "Результаты анкетирования по итогам программы",
    "registry": "Реестр наставников для Института развития образования",
    "agreement": "Соглашение с организацией-партнёром",
    "training_course": "Курсы повышения квалификации наставников",
    "training_event": "Семинары, вебинары, конференции наставников",
    "contest_results": "Итоги городского конкурса «Лучшие практики наставничества»",
}
SOURCE_CHOICES = [("", "Подтверждение вручную")] + list(SOURCES.items())
ENTRY = "entry"


def default_source(title: str, result: str, result_type: str) -> str:
    """For a roadmap loaded from a file: the document of the portal its wording plainly asks for, else by hand."""
    text = f"{title} {result}".lower()
    if result_type == "survey":
        return "survey_results"
    if result_type == "registry":
        return "registry"
    if result_type == "agreement":
        return "agreement"
    if result_type == "protocol":
        return "city_seminar" if "куратор" in text else "association_protocol"
    if result_type == "plan" and ("шмо" in text or "гмо" in text):
        return "association_plan"
    return ""


# --- recording the portal's documents -----------------------------------------------------------------------------

def record(institution_id: int, source: str, source_id: int, on: date, title: str, link: str = "",
           until: date | None = None) -> TaskEvidence:
    """A document of the institution (idempotent by kind and id: recording it again updates it), matched at once."""
    assert source in SOURCES, source
    row = db.session.execute(db.select(TaskEvidence).where(
        TaskEvidence.institution_id == institution_id, TaskEvidence.source == source,
        TaskEvidence.source_id == source_id, TaskEvidence.task_id.is_(None))).scalar_one_or_none()
    if row is None:
        row = TaskEvidence(institution_id=institution_id, source=source, source_id=source_id, day=on, title=title)
        db.session.add(row)
    row.day, row.until, row.title, row.link = on, until, title[:500], link[:500]
    db.session.flush()
    match_institution_documents([row])
    return row


def record_many(institution_ids, source: str, source_id: int, on: date, title: str) -> list[TaskEvidence]:
    """One document answering many institutions' tasks (the city's registry of mentors names ~800): `record` for
    each, set-based — one statement for what is recorded already, one flush, one matching pass."""
    assert source in SOURCES, source
    ids = sorted(set(institution_ids))
    if not ids:
        return []
    existing = {r.institution_id: r for r in db.session.execute(db.select(TaskEvidence).where(
        member_of(TaskEvidence.institution_id, ids, "evidence_institution_ids"), TaskEvidence.source == source,
        TaskEvidence.source_id == source_id, TaskEvidence.task_id.is_(None))).scalars()}
    rows = []
    for institution_id in ids:
        row = existing.get(institution_id)
        if row is None:
            row = TaskEvidence(institution_id=institution_id, source=source, source_id=source_id, day=on, title=title)
            db.session.add(row)
        row.day, row.until, row.title, row.link = on, None, title[:500], ""
        rows.append(row)
    db.session.flush()
    match_institution_documents(rows)
    return rows


def record_city(municipality_id: int, source: str, source_id: int, on: date, title: str, link: str = "",
                until: date | None = None) -> CityTaskEvidence:
    """A document of the education department (the city's protocol, the contest's order, the registry)."""
    assert source in SOURCES, source
    row = db.session.execute(db.select(CityTaskEvidence).where(
        CityTaskEvidence.municipality_id == municipality_id, CityTaskEvidence.source == source,
        CityTaskEvidence.source_id == source_id, CityTaskEvidence.task_id.is_(None))).scalar_one_or_none()
    if row is None:
        row = CityTaskEvidence(municipality_id=municipality_id, source=source, source_id=source_id, day=on, title=title)
        db.session.add(row)
    row.day, row.until, row.title, row.link = on, until, title[:500], link[:500]
    db.session.flush()
    match_city_documents([row])
    return row


# --- matching documents to tasks -------------------------------------------------------------------------------

def _window(period: str, due: date | None) -> tuple[date, date] | None:
    """The days a task's period covers: a year, a quarter, the year of a one-off date or of a plan's date."""
    if period.isdigit():
        return date(int(period), 1, 1), date(int(period), 12, 31)
    if "-Q" in period:
        year, q = int(period[:4]), int(period[-1])
        end_month = q * 3
        return date(year, end_month - 2, 1), deadlines._last_day(year, end_month)
    if (period == "once" or deadlines.is_plan_period(period)) and due is not None:
        return date(due.year, 1, 1), date(due.year, 12, 31)
    return None


def _chosen(doc, tasks: list) -> list:
    """Which tasks of one activity a document answers: the one whose period holds its date (for a separate plan,
    the planned date nearest to it), every year up to `until`, or the program's own task."""
    program_tasks = [t for t in tasks if t.period.startswith("program-")]
    if doc.source == "survey_results":
        return [t for t in program_tasks if t.period == deadlines.program_period(doc.source_id)]
    dated = [(t, _window(t.period, t.due_date)) for t in tasks if not t.period.startswith("program-")]
    if doc.until is not None:
        return [t for t, w in dated if w and w[0] <= doc.until and doc.day <= w[1]]
    holding = [t for t, w in dated if w and w[0] <= doc.day <= w[1]]
    planned = [t for t in holding if deadlines.is_plan_period(t.period)]
    if planned:
        waiting = [t for t in planned if not _accepted(t)] or planned
        return [min(waiting, key=lambda t: (abs((t.due_date - doc.day).days), t.due_date))]
    return holding[:1]


def _accepted(task) -> bool:
    return task.status in (TaskStatus.ACCEPTED, CityTaskStatus.DONE)


def match_institution_documents(docs: list[TaskEvidence] | None = None, activity_ids=None) -> int:
    """Link pending documents (all in scope, or the given ones) to the tasks they answer; returns new links."""
    if docs is None:
        docs = list(db.session.execute(db.select(TaskEvidence).where(
            TaskEvidence.task_id.is_(None), TaskEvidence.source != ENTRY)).scalars())
    if not docs:
        return 0
    stmt = (db.select(RoadmapTask, Activity.evidence_source).join(Activity, Activity.id == RoadmapTask.activity_id)
            .where(Activity.evidence_source.in_({d.source for d in docs}),
                   member_of(RoadmapTask.institution_id, {d.institution_id for d in docs}, "doc_institution_ids")))
    if activity_ids is not None:
        stmt = stmt.where(RoadmapTask.activity_id.in_(list(activity_ids)))
    by_key: dict[tuple, dict[int, list]] = {}   # (institution, source) → activity → its tasks
    for task, source in db.session.execute(stmt):
        by_key.setdefault((task.institution_id, source), {}).setdefault(task.activity_id, []).append(task)
    linked = {(e.source, e.source_id, e.task_id) for e in db.session.execute(db.select(TaskEvidence).where(
        TaskEvidence.task_id.is_not(None), TaskEvidence.source.in_({d.source for d in docs}))).scalars()}
    made = 0
    for doc in docs:
        institution_id = doc.institution_id
        for activity_id, tasks in by_key.get((institution_id, doc.source), {}).items():
            for task in _chosen(doc, tasks):
                if (doc.source, doc.source_id, task.id) in linked:
                    continue
                db.session.add(TaskEvidence(institution_id=institution_id, task_id=task.id, activity_id=activity_id,
                                            source=doc.source, source_id=doc.source_id, day=doc.day, until=doc.until,
                                            title=doc.title, link=doc.link))
                linked.add((doc.source, doc.source_id, task.id))
                _accept(task, doc.title)
                made += 1
    db.session.flush()
    return made


def match_city_documents(docs: list[CityTaskEvidence] | None = None, activity_ids=None) -> int:
    if docs is None:
        docs = list(db.session.execute(db.select(CityTaskEvidence).where(
            CityTaskEvidence.task_id.is_(None), CityTaskEvidence.source != ENTRY)).scalars())
    if not docs:
        return 0
    stmt = (db.select(CityTask, Activity.evidence_source).join(Activity, Activity.id == CityTask.activity_id)
            .where(Activity.evidence_source.in_({d.source for d in docs}),
                   CityTask.municipality_id.in_({d.municipality_id for d in docs})))
    if activity_ids is not None:
        stmt = stmt.where(CityTask.activity_id.in_(list(activity_ids)))
    by_key: dict[tuple, list] = {}
    for task, source in db.session.execute(stmt):
        by_key.setdefault((task.municipality_id, source, task.activity_id), []).append(task)
    linked = {(e.source, e.source_id, e.task_id) for e in db.session.execute(db.select(CityTaskEvidence).where(
        CityTaskEvidence.task_id.is_not(None), CityTaskEvidence.source.in_({d.source for d in docs}))).scalars()}
    made = 0
    for doc in docs:
        for (municipality_id, source, activity_id), tasks in by_key.items():
            if municipality_id != doc.municipality_id or source != doc.source:
                continue
            for task in _chosen(doc, tasks):
                if (doc.source, doc.source_id, task.id) not in linked:
                    db.session.add(CityTaskEvidence(municipality_id=municipality_id, task_id=task.id,
                                                    activity_id=activity_id, source=doc.source, source_id=doc.source_id,
                                                    day=doc.day, until=doc.until, title=doc.title, link=doc.link))
                    linked.add((doc.source, doc.source_id, task.id))
                    _done(task, doc.title)
                    made += 1
    db.session.flush()
    return made


def _accept(task: RoadmapTask, title: str) -> None:
    if task.status is TaskStatus.ACCEPTED:
        return
    now = clock.now()
    task.status, task.reviewed_at, task.reviewed_by_id = TaskStatus.ACCEPTED, now, None
    task.submitted_at = task.submitted_at or now
    task.review_comment = f"Подтверждено документом портала: {title}"[:5000]


def _done(task: CityTask, title: str) -> None:
    if task.status is CityTaskStatus.DONE:
        return
    task.status, task.done_at = CityTaskStatus.DONE, clock.now()
    task.note = task.note or f"Подтверждено документом портала: {title}"


# --- what a task shows ------------------------------------------------------------------------------------------

def of_task(task: RoadmapTask) -> list[TaskEvidence]:
    return list(db.session.execute(db.select(TaskEvidence).where(TaskEvidence.task_id == task.id)
                                   .order_by(TaskEvidence.day, TaskEvidence.id)).scalars())


def of_city_task(task: CityTask) -> list[CityTaskEvidence]:
    return list(db.session.execute(db.select(CityTaskEvidence).where(CityTaskEvidence.task_id == task.id)
                                   .order_by(CityTaskEvidence.day, CityTaskEvidence.id)).scalars())


def clean_entry(data: dict) -> dict:
    """An entry written by hand: what was done, when, and a link to where it is (a page of the site, a post)."""
    errors = {}
    title = " ".join((data.get("title") or "").split())
    if not title:
        errors["title"] = "Опишите, что сделано: например, «Новость о наставничестве на сайте»."
    on = data["on"] if isinstance(data.get("on"), date) else parse_ru_date(data.get("on") or "")
    if on is None:
        errors["on"] = "Дата в формате дд.мм.гггг."
    elif on > date.today():
        errors["on"] = "Дата не позже сегодняшней: запись о том, что уже сделано."
    link = (data.get("link") or "").strip()
    if link and not link.startswith(("https://", "http://")):
        errors["link"] = "Ссылка начинается с https:// или http://."
    if errors:
        raise Invalid(fields=errors)
    return {"title": title[:500], "day": on, "link": link[:500], "note": (data.get("note") or "").strip()[:5000]}


def add_entry(task: RoadmapTask, data: dict, author_id: int | None) -> TaskEvidence:
    values = clean_entry(data)
    row = TaskEvidence(institution_id=task.institution_id, task_id=task.id, activity_id=task.activity_id,
                       source=ENTRY, author_id=author_id, **values)
    db.session.add(row)
    db.session.commit()
    return row


def add_city_entry(task: CityTask, data: dict, author_id: int | None) -> CityTaskEvidence:
    values = clean_entry(data)
    row = CityTaskEvidence(municipality_id=task.municipality_id, task_id=task.id, activity_id=task.activity_id,
                           source=ENTRY, author_id=author_id, **values)
    db.session.add(row)
    db.session.commit()
    return row
