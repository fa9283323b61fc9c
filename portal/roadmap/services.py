"""Rules of the city roadmap: building it from the built-in template or from another roadmap, editing activities
and their deadline rules, generating the institutions' tasks for a year, submitting and reviewing evidence."""
from __future__ import annotations

from datetime import date

from portal import clock
from sqlalchemy.orm import joinedload

from portal.documents.tabular import norm_header, read_table
from portal.errors import Invalid
from portal.extensions import db
from portal.roadmap import deadlines, evidence, template_pokachi
from portal.roadmap.generation import generate
from portal.roadmap.matrix import in_year, matrix  # noqa: F401  (services.matrix: the pages and the XLSX)
from portal.roadmap.models import RESULT_TYPES, Activity, Level, Roadmap, RoadmapSection, RoadmapTask, TaskStatus
from tenants.queries import get_or_404


def roadmap(roadmap_id: int) -> Roadmap:
    return get_or_404(Roadmap, roadmap_id, "Дорожная карта не найдена.")


def roadmaps() -> list[Roadmap]:
    return list(db.session.execute(db.select(Roadmap).order_by(Roadmap.first_year.desc(), Roadmap.id.desc())).scalars())


def activity(roadmap_row: Roadmap, activity_id: int) -> Activity:
    return get_or_404(Activity, activity_id, "Мероприятие не найдено.", roadmap_id=roadmap_row.id)


def _check_years(first, last) -> tuple[int, int]:
    try:
        first, last = int(first), int(last)
    except (TypeError, ValueError):
        raise Invalid("first_year", "Годы периода — числом, например 2025 и 2027.") from None
    if not 2000 <= first <= last <= first + 10:
        raise Invalid("last_year", "Период: первый год не позже последнего, не длиннее десяти лет.")
    return first, last


def from_template(municipality_id: int) -> Roadmap:
    """The seed's Pokachi roadmap 2022–2024, all 32 activities as written, with their rules."""
    row = Roadmap(municipality_id=municipality_id, title=template_pokachi.TITLE,
                  first_year=template_pokachi.FIRST_YEAR, last_year=template_pokachi.LAST_YEAR)
    for position, (title, activities) in enumerate(template_pokachi.SECTIONS, start=1):
        section = RoadmapSection(municipality_id=municipality_id, position=position, title=title)
        for number, text, deadline, responsible, level, result, result_type in activities:
            rule = deadlines.parse(deadline)
            section.activities.append(Activity(
                municipality_id=municipality_id, roadmap=row, number=number, title=text, deadline_text=deadline,
                rule=rule.as_dict() if rule else None, responsible_text=responsible, level=Level(level),
                result_text=result, result_type=result_type, evidence_source=template_pokachi.EVIDENCE.get(number, "")))
        row.sections.append(section)
    db.session.add(row)
    db.session.commit()
    return row


def copy_roadmap(source: Roadmap, first_year, last_year, title: str) -> Roadmap:
    """A new period from an existing roadmap. Rules tied to a year of the old period («01.12.2022») are not
    carried over: those activities are flagged for the coordinator to set a date, nothing is guessed."""
    first, last = _check_years(first_year, last_year)
    title = " ".join((title or "").split())
    if not title:
        raise Invalid("title", "Укажите название дорожной карты.")
    row = Roadmap(municipality_id=source.municipality_id, title=title, first_year=first, last_year=last,
                  based_on_id=source.id)
    for s in source.sections:
        section = RoadmapSection(municipality_id=source.municipality_id, position=s.position, title=s.title)
        for a in s.activities:
            rule = a.parsed_rule
            keep = rule is not None and rule.year is None
            section.activities.append(Activity(
                municipality_id=source.municipality_id, roadmap=row, number=a.number, title=a.title, deadline_text=a.deadline_text,
                rule=rule.as_dict() if keep else None, responsible_text=a.responsible_text, level=a.level,
                result_text=a.result_text, result_type=a.result_type, evidence_source=a.evidence_source))
        row.sections.append(section)
    db.session.add(row)
    db.session.commit()
    return row


def update_activity(row: Activity, data: dict) -> Activity:
    errors = {}
    title = " ".join((data.get("title") or "").split())
    if not title:
        errors["title"] = "Укажите наименование мероприятия."
    deadline = " ".join((data.get("deadline_text") or "").split())
    rule = deadlines.parse(deadline)
    if not deadline:
        errors["deadline_text"] = "Укажите срок."
    elif rule is None:
        errors["deadline_text"] = ("Срок не распознан. Примеры: «01.12.2024», «октябрь 2025», «Ежегодно до 01 октября», "
                                   "«ежеквартально до 5 числа месяца, следующего за отчетным», «ежегодно в марте», "
                                   "«постоянно», «по отдельному плану».")
    level = data.get("level") or ""
    if level not in Level._value2member_map_:
        errors["level"] = "Выберите ответственного: УО, ОО или оба."
    result_type = data.get("result_type") or "other"
    if result_type not in RESULT_TYPES:
        errors["result_type"] = "Выберите вид результата."
    source = data.get("evidence_source", row.evidence_source) or ""
    if source and source not in evidence.SOURCES:
        errors["evidence_source"] = "Выберите документ портала из списка или «вручную»."
    if errors:
        raise Invalid(fields=errors)
    row.title, row.deadline_text, row.rule, row.level = title, deadline, rule.as_dict(), Level(level)
    row.result_text = (data.get("result_text") or "").strip()[:500]
    row.result_type = result_type
    row.evidence_source = source
    db.session.commit()
    return row


def flagged(row: Roadmap) -> list[Activity]:
    return [a for a in row.activities if a.rule is None]


# --- tasks -------------------------------------------------------------------------------------------------------

def generate_tasks(row: Roadmap, year: int) -> int:
    """Every task of the year: the institutions', the department's own, the separate plans', each completed
    program's (see roadmap.generation). Idempotent."""
    return generate(row, year)


def task(task_id: int) -> RoadmapTask:
    return get_or_404(RoadmapTask, task_id, "Задача дорожной карты не найдена.")


def task_years() -> list[int]:
    """The years of the roadmaps in scope, for a year selector."""
    spans = db.session.execute(db.select(Roadmap.first_year, Roadmap.last_year)).all()
    return sorted({y for first, last in spans for y in range(first, last + 1)})


def institution_tasks(year: int | None = None, today: date | None = None) -> dict[str, list[RoadmapTask]]:
    """Inside an institution's scope, the tasks of one year (the current one by default) with their activities,
    in one statement: overdue (of earlier years too, while they are open), due next (by date), submitted, done."""
    today = today or date.today()
    year = year or today.year
    wanted = in_year(year)
    if year == today.year:
        wanted = wanted | (RoadmapTask.status.in_([TaskStatus.OPEN, TaskStatus.RETURNED])
                           & (RoadmapTask.working_due_date < today))
    rows = list(db.session.execute(db.select(RoadmapTask).where(wanted).options(joinedload(RoadmapTask.activity))
                                   .order_by(RoadmapTask.due_date, RoadmapTask.id)).scalars())
    return {
        "overdue": [t for t in rows if t.is_overdue(today)],
        "next": [t for t in rows if t.status in (TaskStatus.OPEN, TaskStatus.RETURNED) and not t.is_overdue(today)],
        "submitted": [t for t in rows if t.status is TaskStatus.SUBMITTED],
        "accepted": [t for t in rows if t.status is TaskStatus.ACCEPTED],
    }


def _figures(raw: str) -> dict:
    """«Наставников: 5; пар: 4» → {"Наставников": 5, "пар": 4}; a figure must be a number."""
    out = {}
    for part in (raw or "").replace("\n", ";").split(";"):
        if not part.strip():
            continue
        name, sep, value = part.partition(":")
        value = value.strip().replace(",", ".")
        try:
            number = float(value)
        except ValueError:
            raise Invalid("figures", f"Показатель «{part.strip()}»: пишите «название: число», через точку с запятой.") from None
        if not sep or not name.strip():
            raise Invalid("figures", f"Показатель «{part.strip()}»: пишите «название: число».")
        out[name.strip()[:100]] = int(number) if number.is_integer() else number
    return out


def submit(row: RoadmapTask, data: dict, user_id: int, has_files: bool) -> RoadmapTask:
    if row.status is TaskStatus.ACCEPTED:
        raise Invalid("state", "Задача уже принята координатором.")
    text = (data.get("evidence_text") or "").strip()
    link = (data.get("evidence_link") or "").strip()
    if link and not link.startswith(("https://", "http://")):
        raise Invalid("evidence_link", "Ссылка начинается с https:// или http://.")
    figures = _figures(data.get("figures") or "")
    if not (text or link or figures or has_files):
        raise Invalid("evidence_text", "Приложите подтверждение: файл, ссылку, текст или показатели.")
    row.evidence_text, row.evidence_link, row.figures = text[:10000], link[:500], figures
    row.status, row.submitted_at, row.submitted_by_id = TaskStatus.SUBMITTED, clock.now(), user_id
    db.session.commit()
    return row


def review(row: RoadmapTask, accept: bool, comment: str, user_id: int) -> RoadmapTask:
    if row.status is not TaskStatus.SUBMITTED:
        raise Invalid("state", "Проверяется только отправленное подтверждение.")
    comment = (comment or "").strip()
    if not accept and not comment:
        raise Invalid("review_comment", "Напишите, что доработать.")
    row.status = TaskStatus.ACCEPTED if accept else TaskStatus.RETURNED
    row.reviewed_at, row.reviewed_by_id, row.review_comment = clock.now(), user_id, comment[:5000]
    db.session.commit()
    return row


# --- XLSX import -----------------------------------------------------------------------------------------------

def level_from_text(text: str) -> Level | None:
    """«УО», «ОО», «УО, ОО», and the seed's «00» typed with zeros."""
    t = (text or "").upper().replace("00", "ОО")
    uo, oo = "УО" in t or "УПРАВЛЕНИЕ ОБРАЗОВАНИЯ" in t, "ОО" in t or "ОБРАЗОВАТЕЛЬН" in t
    return Level.BOTH if uo and oo else Level.UO if uo else Level.OO if oo else None


def _result_type(text: str) -> str:
    lowered = (text or "").lower()
    for key, words in (("order", "приказ"), ("agreement", "соглашени"), ("database", "база данных"),
                       ("analytical_report", "анализ"), ("analytical_report", "аналитическ"), ("protocol", "протокол"),
                       ("survey", "анкетирован"), ("monitoring", "мониторинг"), ("registry", "реестр")):
        if words in lowered:
            return key
    return "other" if "other" in RESULT_TYPES else next(iter(RESULT_TYPES))


def import_roadmap(municipality_id: int, filename: str, data: bytes, title: str, first_year, last_year) -> Roadmap:  # noqa: C901 (predates the limit)
    """A roadmap from an XLSX/CSV in the city's layout (section rows without a number); every bad row reported,
    nothing saved on error. Deadlines that are not understood are kept as written and flagged."""
    first, last = _check_years(first_year, last_year)
    title = " ".join((title or "").split())
    if not title:
        raise Invalid("title", "Укажите название дорожной карты.")
    table = read_table(filename, data)
    columns = {}
    for header in table.headers:
        key = norm_header(header)
        if key.startswith("№"):
            columns["number"] = key
        elif "наименование" in key or "мероприяти" in key:
            columns.setdefault("title", key)
        elif "срок" in key and "правило" not in key:
            columns.setdefault("deadline", key)
        elif "ответствен" in key:
            columns["responsible"] = key
        elif "результат" in key and "вид" not in key:
            columns["result"] = key
    missing = [label for field, label in (("title", "Наименование мероприятия"), ("deadline", "Срок реализации"),
                                          ("responsible", "Ответственный")) if field not in columns]
    if missing:
        raise Invalid("file", "Не найдены столбцы: " + ", ".join(f"«{m}»" for m in missing) + ".")
    errors, seen = [], {}
    row = Roadmap(municipality_id=municipality_id, title=title, first_year=first, last_year=last)
    section = None
    for number, values in table.rows:
        get = lambda f, values=values: (values.get(columns.get(f, ""), "") or "").strip()  # noqa: E731
        raw_number, text = get("number").rstrip(". "), " ".join(get("title").split())
        if not raw_number:
            if text:
                section = RoadmapSection(municipality_id=municipality_id, position=len(row.sections) + 1, title=text)
                row.sections.append(section)
            continue
        if not raw_number.isdigit():
            errors.append({"row": number, "column": "№ п/п", "reason": f"Номер «{raw_number}» — не число."})
            continue
        if int(raw_number) in seen:
            errors.append({"row": number, "column": "№ п/п", "reason": f"Номер повторяет строку {seen[int(raw_number)]}."})
            continue
        seen[int(raw_number)] = number
        level = level_from_text(get("responsible"))
        if not text:
            errors.append({"row": number, "column": "Наименование мероприятия", "reason": "Пустое наименование."})
        if level is None:
            errors.append({"row": number, "column": "Ответственный", "reason": "Укажите УО, ОО или оба."})
        if not text or level is None:
            continue
        if section is None:
            section = RoadmapSection(municipality_id=municipality_id, position=1, title="Мероприятия")
            row.sections.append(section)
        rule = deadlines.parse(get("deadline"))
        section.activities.append(Activity(
            municipality_id=municipality_id, roadmap=row, number=int(raw_number), title=text,
            deadline_text=get("deadline")[:300], rule=rule.as_dict() if rule else None,
            responsible_text=get("responsible")[:300], level=level, result_text=get("result")[:500],
            result_type=_result_type(get("result")),
            evidence_source=evidence.default_source(text, get("result"), _result_type(get("result")))))
    if not seen and not errors:
        errors.append({"row": 1, "column": "№ п/п", "reason": "В файле нет пронумерованных мероприятий."})
    if errors:
        raise Invalid("file", f"Файл не загружен: ошибок — {len(errors)}.", rows=errors)
    db.session.add(row)
    db.session.commit()
    return row
