"""The plan of work of a methodological association for an academic year (roadmap item 22: «включение в планы
работы ШМО, ГМО вопросов по реализации программ наставничества»): its lines, and its approval, which answers
the roadmap's task of each calendar year the academic year covers."""
from __future__ import annotations

from datetime import date

from portal import evidence
from portal.association.family import Family
from portal.association.models import MeetingState
from portal.association.services import academic_year, year_end
from portal.errors import Invalid
from portal.extensions import db
from portal.formatting import parse_ru_date, ru_date
from tenants.queries import get_or_404


def check_year(year: str) -> str:
    year = (year or "").strip()
    if len(year) != 9 or year[4] != "-" or not (year[:4].isdigit() and year[5:].isdigit()) \
            or int(year[5:]) != int(year[:4]) + 1:
        raise Invalid("academic_year", "Учебный год в виде «2023-2024».")
    return year


def items(fam: Family, row, year: str) -> list:
    return list(db.session.execute(db.select(fam.PlanItem).where(
        fam.PlanItem.association_id == row.id, fam.PlanItem.academic_year == year)
        .order_by(fam.PlanItem.position, fam.PlanItem.id)).scalars())


def plan(fam: Family, row, year: str):
    return db.session.execute(db.select(fam.Plan).where(fam.Plan.association_id == row.id,
                                                        fam.Plan.academic_year == year)).scalar_one_or_none()


def years(fam: Family, row) -> list[str]:
    have = set(db.session.execute(db.select(fam.PlanItem.academic_year).where(
        fam.PlanItem.association_id == row.id).distinct()).scalars())
    return sorted(have | {academic_year(date.today())})


def add_item(fam: Family, row, year: str, data: dict):
    year = check_year(year)
    current = plan(fam, row, year)
    if current is not None and current.approved_on is not None:
        raise Invalid("state", "План утверждён: новые строки — после изменения плана на заседании.")
    errors = {}
    when = " ".join((data.get("when") or "").split())
    content = " ".join((data.get("content") or "").split())
    if not when:
        errors["when"] = "Когда: месяц или «в течение года»."
    if not content:
        errors["content"] = "Содержание работы: тема заседания, семинар, открытое занятие."
    if errors:
        raise Invalid(fields=errors)
    item = fam.PlanItem(association_id=row.id, academic_year=year, position=len(items(fam, row, year)) + 1,
                        when=when[:100], content=content[:5000], form=(data.get("form") or "").strip()[:200],
                        responsible=(data.get("responsible") or "").strip()[:300],
                        mentoring=data.get("mentoring", "1") in ("1", "on", True))
    db.session.add(item)
    db.session.commit()
    return item


def remove_item(fam: Family, row, item_id: int) -> None:
    item = get_or_404(fam.PlanItem, item_id, "Строка плана не найдена.", association_id=row.id)
    current = plan(fam, row, item.academic_year)
    if current is not None and current.approved_on is not None:
        raise Invalid("state", "План утверждён: строки не удаляются.")
    db.session.delete(item)
    db.session.commit()


def approve(fam: Family, row, year: str, data: dict, link: str = ""):
    """Approve the year's plan: on a date, or at a meeting whose protocol is issued. It must include questions of
    the mentoring programs (item 22)."""
    year = check_year(year)
    lines = items(fam, row, year)
    if not lines:
        raise Invalid("state", "В плане нет ни одной строки.")
    if not any(i.mentoring for i in lines):
        raise Invalid("state", "В плане нет вопросов реализации программ наставничества (дорожная карта, п. 22).")
    current = plan(fam, row, year) or fam.Plan(association_id=row.id, academic_year=year)
    if current.approved_on is not None:
        raise Invalid("state", f"План уже утверждён {ru_date(current.approved_on)}.")
    meeting = None
    if data.get("meeting_id"):
        meeting = get_or_404(fam.Meeting, data["meeting_id"], "Заседание не найдено.", association_id=row.id)
        if meeting.state is not MeetingState.ISSUED:
            raise Invalid("meeting_id", "Утверждают на заседании с оформленным протоколом.")
    day = meeting.held_on if meeting else parse_ru_date(data.get("approved_on") or "")
    if day is None or day > date.today():
        raise Invalid("approved_on", "Дата утверждения в формате дд.мм.гггг, не позже сегодняшней.")
    current.approved_on, current.approved_meeting_id = day, meeting.id if meeting else None
    current.note = (f"Утверждён на заседании, протокол № {meeting.number} от {ru_date(meeting.held_on)}"
                    if meeting else "")
    db.session.add(current)
    db.session.flush()
    _answer_roadmap(fam, row, current, link)
    db.session.commit()
    return current


def _answer_roadmap(fam: Family, row, current, link: str) -> None:
    title = f"План работы «{row.name}» на {current.academic_year} учебный год, утверждён {ru_date(current.approved_on)}"
    # One plan answers the task of each calendar year its academic year covers, from its approval on.
    until = year_end(current.academic_year)
    if fam.is_city:
        evidence.record_city(row.municipality_id, "association_plan", current.id, current.approved_on, title, link,
                             until=until)
    else:
        evidence.record(row.institution_id, "association_plan", current.id, current.approved_on, title, link,
                        until=until)
