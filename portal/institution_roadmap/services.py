"""Rules of the institution's roadmap: derived from the city's (every activity an institution carries out), the
institution's own items, tasks for every period, approval by an order of the head, and evidence: the approving
order answers city item 3 («разработка и утверждение … дорожной карты») for the years the roadmap covers."""
from __future__ import annotations

from datetime import date

from portal.errors import Invalid, NotFound
from portal.extensions import db
from portal.formatting import parse_ru_date, ru_date
from portal.institution_roadmap.models import InstitutionRoadmap, InstitutionRoadmapItem, OwnItemTask, RoadmapState
from portal.local_acts.models import ActKind, LocalAct, LocalActVersion
from portal.mentoring.models import Order
from portal.mentoring.order_drafting import save_order
from portal.mentoring.states import OrderKind
from portal.roadmap import deadlines, evidence
from portal.roadmap.models import Roadmap, RoadmapTask
from portal.roadmap.services import submit
from portal.staff.models import Staff
from tenants.queries import find, get_or_404


def roadmaps() -> list[InstitutionRoadmap]:
    return list(db.session.execute(db.select(InstitutionRoadmap).order_by(InstitutionRoadmap.first_year.desc(),
                                                                         InstitutionRoadmap.id.desc())).scalars())


def roadmap(roadmap_id: int) -> InstitutionRoadmap:
    return get_or_404(InstitutionRoadmap, roadmap_id, "Дорожная карта организации не найдена.")


def city_roadmaps() -> list[Roadmap]:
    """The city's roadmaps an institution's roadmap may derive from (the scope shows the institution's city's)."""
    return list(db.session.execute(db.select(Roadmap).order_by(Roadmap.first_year.desc(), Roadmap.id.desc())).scalars())


def create_from_city(institution, city_roadmap_id, title: str = "") -> InstitutionRoadmap:
    """Every activity of the city's roadmap that institutions carry out (ОО, and УО together with ОО) becomes an
    item of the institution's roadmap, with the city's wording of its term and result."""
    city = find(Roadmap, city_roadmap_id)
    if city is None:
        raise Invalid("city_roadmap_id", "Выберите дорожную карту управления образования.")
    title = " ".join((title or "").split()) or (
        f"Дорожная карта (план мероприятий) по реализации Положения о системе наставничества педагогических "
        f"работников в {institution.short_name} на {city.first_year}–{city.last_year} годы")
    row = InstitutionRoadmap(title=title[:500], first_year=city.first_year, last_year=city.last_year,
                             city_roadmap_id=city.id)
    for position, a in enumerate((a for a in city.activities if a.for_institutions), start=1):
        row.items.append(InstitutionRoadmapItem(
            position=position, title=a.title, deadline_text=a.deadline_text, rule=a.rule, result_text=a.result_text,
            responsible_text="", city_activity_id=a.id))
    db.session.add(row)
    db.session.commit()
    return row


def _editable(row: InstitutionRoadmap) -> None:
    if row.state is RoadmapState.ON_APPROVAL:
        raise Invalid("state", "Дорожная карта на утверждении: сначала издайте или удалите проект приказа.")


def _clean_item(data: dict, own: bool) -> dict:
    errors, out = {}, {}
    if own:
        title = " ".join((data.get("title") or "").split())
        if not title:
            errors["title"] = "Опишите мероприятие."
        deadline = " ".join((data.get("deadline_text") or "").split())
        rule = deadlines.parse(deadline)
        if not deadline:
            errors["deadline_text"] = "Укажите срок."
        elif rule is None or rule.kind == deadlines.AFTER_PROGRAM:
            errors["deadline_text"] = ("Срок не распознан. Примеры: «01.12.2024», «ежегодно до 01 октября», "
                                       "«ежеквартально», «постоянно».")
        out.update(title=title[:5000], deadline_text=deadline[:300], rule=rule.as_dict() if rule else None)
    staff_id = data.get("responsible_staff_id")
    staff = find(Staff, staff_id) if staff_id else None
    if staff_id and (staff is None or staff.archived):
        errors["responsible_staff_id"] = "Выберите ответственного из списка сотрудников."
    if errors:
        raise Invalid(fields=errors)
    out.update(responsible_staff_id=staff.id if staff else None,
               responsible_text=(data.get("responsible_text") or "").strip()[:300],
               result_text=(data.get("result_text") or "").strip()[:500])
    return out


def add_item(row: InstitutionRoadmap, data: dict) -> InstitutionRoadmapItem:
    _editable(row)
    item = InstitutionRoadmapItem(position=len(row.items) + 1, **_clean_item(data, own=True))
    row.items.append(item)
    db.session.flush()
    if row.state is RoadmapState.APPROVED:
        generate_own_tasks(row)
    db.session.commit()
    return item


def item(row: InstitutionRoadmap, item_id: int) -> InstitutionRoadmapItem:
    return get_or_404(InstitutionRoadmapItem, item_id, "Мероприятие не найдено.", roadmap_id=row.id)


def update_item(row: InstitutionRoadmap, it: InstitutionRoadmapItem, data: dict) -> None:
    """The responsible person and the result of any item; the wording and term of the institution's own items (a
    derived item keeps the city's)."""
    _editable(row)
    for key, value in _clean_item(data, own=not it.derived).items():
        setattr(it, key, value)
    db.session.flush()
    if row.state is RoadmapState.APPROVED and not it.derived:
        generate_own_tasks(row)
    db.session.commit()


def remove_item(row: InstitutionRoadmap, it: InstitutionRoadmapItem) -> None:
    _editable(row)
    if it.derived:
        raise Invalid("state", "Мероприятие дорожной карты города остаётся в плане организации.")
    row.items.remove(it)
    for position, other in enumerate(row.items, start=1):
        other.position = position
    db.session.commit()


# --- tasks -------------------------------------------------------------------------------------------------------

def generate_own_tasks(row: InstitutionRoadmap) -> int:
    """Tasks of the institution's own items for every year of the roadmap (idempotent; a changed term moves them)."""
    have = {(t.item_id, t.period): t for t in db.session.execute(db.select(OwnItemTask).join(InstitutionRoadmapItem)
                                                                 .where(InstitutionRoadmapItem.roadmap_id == row.id))
            .scalars()}
    made = 0
    for it in row.items:
        if it.derived:
            continue
        for year in range(row.first_year, row.last_year + 1):
            for due in deadlines.due_dates(it.parsed_rule, year, row.period):
                task = have.get((it.id, due.period))
                if task is None:
                    db.session.add(OwnItemTask(item_id=it.id, period=due.period, due_date=due.nominal,
                                               working_due_date=due.working))
                    made += 1
                else:
                    task.due_date, task.working_due_date = due.nominal, due.working
    db.session.flush()
    return made


def _of_year(period: str, due: date | None, year: int) -> bool:
    return period.startswith(str(year)) or (due is not None and due.year == year and not period[:4].isdigit())


def tasks_by_item(row: InstitutionRoadmap, year: int) -> dict[int, list]:
    """The tasks of each item in a year: the city's tasks of a derived item, the item's own tasks otherwise."""
    derived = {it.city_activity_id: it.id for it in row.items if it.derived}
    out: dict[int, list] = {it.id: [] for it in row.items}
    for t in db.session.execute(db.select(RoadmapTask).where(RoadmapTask.activity_id.in_(list(derived)))
                                .order_by(RoadmapTask.due_date, RoadmapTask.id)).scalars():
        if _of_year(t.period, t.due_date, year):
            out[derived[t.activity_id]].append(t)
    for t in db.session.execute(db.select(OwnItemTask).where(OwnItemTask.item_id.in_(list(out)))
                                .order_by(OwnItemTask.due_date, OwnItemTask.id)).scalars():
        if _of_year(t.period, t.due_date, year):
            out[t.item_id].append(t)
    return out


def own_task(row: InstitutionRoadmap, task_id: int) -> OwnItemTask:
    task = get_or_404(OwnItemTask, task_id, "Задача не найдена.")
    if task.item.roadmap_id != row.id:
        raise NotFound("Задача не найдена.")  # the same NotFound as a missing one
    return task


def complete_own_task(task: OwnItemTask, data: dict, user_id: int) -> OwnItemTask:
    note, link = (data.get("note") or "").strip(), (data.get("link") or "").strip()
    errors = {}
    if not note:
        errors["note"] = "Напишите, что сделано (и чем подтверждается)."
    if link and not link.startswith(("https://", "http://")):
        errors["link"] = "Ссылка начинается с https:// или http://."
    day = parse_ru_date(data.get("done_on") or "") if data.get("done_on") else date.today()
    if day is None or day > date.today():
        errors["done_on"] = "Дата выполнения в формате дд.мм.гггг, не позже сегодняшней."
    if errors:
        raise Invalid(fields=errors)
    task.done_on, task.note, task.link, task.done_by_id = day, note[:5000], link[:500], user_id
    db.session.commit()
    return task


def reopen_own_task(task: OwnItemTask) -> None:
    if task.done_on is None:
        raise Invalid("state", "Задача и так не выполнена.")
    task.done_on, task.done_by_id = None, None
    db.session.commit()


def complete_city_task(row: InstitutionRoadmap, task_id: int, data: dict, user_id: int, has_files: bool):
    """Fulfilling a derived item fulfils the city's task it derives from: the evidence goes to the coordinator."""
    derived = {it.city_activity_id for it in row.items if it.derived}
    task = get_or_404(RoadmapTask, task_id, "Задача не найдена.")
    if task.activity_id not in derived:
        raise NotFound("Задача не найдена.")
    return submit(task, data, user_id, has_files)


# --- approval by an order of the head ------------------------------------------------------------------------------

def as_text(row: InstitutionRoadmap) -> str:
    """The roadmap as the text of its local act: one numbered line per item, with its term, responsible person and
    result, as the register keeps it and the public page shows it."""
    lines = [row.title, ""]
    for it in row.items:
        parts = [f"{it.position}. {it.title}", f"Срок: {it.deadline_text}"]
        if it.responsible:
            parts.append(f"Ответственный: {it.responsible}")
        if it.result_text:
            parts.append(f"Результат: {it.result_text}")
        lines.append(" — ".join(parts))
    return "\n".join(lines)


def _act_version(row: InstitutionRoadmap, actor_id: int | None):
    """The roadmap in the register of local acts: a new act, or the next редакция of its act."""
    act = row.local_act
    if act is None:
        act = LocalAct(kind=ActKind.ROADMAP.value, title=row.title[:500], public=True)
        db.session.add(act)
        row.local_act = act
    version = act.draft
    if version is None:
        version = LocalActVersion(number=max((v.number for v in act.versions), default=0) + 1, created_by_id=actor_id,
                                  note=f"Дорожная карта на {row.first_year}–{row.last_year} годы")
        act.versions.append(version)
    act.title, version.text = row.title[:500], as_text(row)
    db.session.flush()
    return version


def submit_for_approval(row: InstitutionRoadmap, institution, data: dict, actor_id: int | None = None):
    """A draft order «Об утверждении дорожной карты …» for the head to issue, with the roadmap — kept in the register
    of local acts — as its appendix; issuing it approves both (the act's редакция by the order's appendices)."""
    if row.state is not RoadmapState.DRAFT:
        raise Invalid("state", "Дорожная карта уже на утверждении или утверждена.")
    if not row.items:
        raise Invalid("state", "В дорожной карте нет мероприятий.")
    years = f"{row.first_year}–{row.last_year}"
    version = _act_version(row, actor_id)
    order = save_order({
        "kind": OrderKind.OTHER.value, "number": data.get("number") or "", "issued_on": data.get("issued_on") or "",
        "title": f"Об утверждении дорожной карты по реализации Положения о системе наставничества на {years} годы",
        "preamble": ("В соответствии с Положением о системе наставничества педагогических работников и планом "
                     "мероприятий («дорожной картой») управления образования"),
        "items": "\n".join([f"1. Утвердить дорожную карту (план мероприятий) по реализации Положения о системе "
                             f"наставничества педагогических работников в {institution.short_name} на {years} годы "
                             f"(приложение 1).",
                             "2. Ответственным за мероприятия дорожной карты обеспечить их выполнение в установленные "
                             "сроки.",
                             "3. Контроль за исполнением приказа оставляю за собой."]),
        "appendices": [{"kind": "local_act", "act_version_id": version.id}],
        "signer_position": data.get("signer_position") or "", "signer_name": data.get("signer_name") or "",
        "ack_staff_ids": sorted({it.responsible_staff_id for it in row.items if it.responsible_staff_id}),
        "ack_due": "",
    }, institution, commit=False)
    row.order_id, row.state = order.id, RoadmapState.ON_APPROVAL
    db.session.commit()
    return order


def withdraw_from_approval(row: InstitutionRoadmap) -> None:
    """Back to a draft while the head has not issued the order (the draft order is deleted)."""
    if row.state is not RoadmapState.ON_APPROVAL:
        raise Invalid("state", "Дорожная карта не на утверждении.")
    order = db.session.get(Order, row.order_id) if row.order_id else None
    if order is not None and order.issued_at is not None:
        raise Invalid("state", "Приказ уже издан.")
    if order is not None:
        db.session.delete(order)
    row.order_id, row.state = None, RoadmapState.DRAFT
    db.session.commit()


def roadmap_of_order(order) -> InstitutionRoadmap | None:
    return db.session.execute(db.select(InstitutionRoadmap).where(InstitutionRoadmap.order_id == order.id)
                              ).scalar_one_or_none()


def approve(row: InstitutionRoadmap, order, link: str = "") -> None:
    """The head issued the order: the roadmap is approved, its own items get their tasks, and the order answers the
    city's item 3 for every year from the order's to the roadmap's last (roadmap.evidence)."""
    row.state, row.approved_on = RoadmapState.APPROVED, order.issued_on
    generate_own_tasks(row)
    title = f"Приказ № {order.number} от {ru_date(order.issued_on)} «{order.title}»"
    evidence.record(row.institution_id, "institution_roadmap", row.id, order.issued_on, title, link,
                    until=date(row.last_year, 12, 31))
