"""Rules of a methodological association (ШМО, совет наставников; the city's ГМО and seminars of curators):
members with one chair and one secretary, meetings planned ahead and held, the agenda with its minutes, attendance,
decisions with a responsible person and a due date, and the protocol — issued once, numbered, frozen, and the
evidence of the roadmap's items 9, 14 and 23 (roadmap.evidence)."""
from __future__ import annotations

import re
from datetime import date

from portal import clock
from portal import evidence
from portal.association.family import Family
from portal.association.models import MEMBER_ROLES, MeetingState
from portal.errors import Forbidden, Invalid
from portal.extensions import db
from portal.formatting import parse_ru_date, ru_date
from portal.staff.models import Staff
from tenants.queries import find, get_or_404

GENITIVE = {"shmo": "школьного методического объединения наставников", "council": "совета наставников",
            "commission": "комиссии по наставничеству", "methodical_council": "методического совета",
            "gmo": "городского методического объединения", "seminar": "семинара-совещания кураторов"}
_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")


def academic_year(day: date) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def year_end(year: str) -> date:
    return date(int(year[-4:]), 8, 31)


# --- associations and members ---------------------------------------------------------------------------------

def associations(fam: Family) -> list:
    return list(db.session.execute(db.select(fam.Association).where(fam.Association.archived.is_(False))
                                   .order_by(fam.Association.id)).scalars())


def association(fam: Family, association_id: int):
    return get_or_404(fam.Association, association_id, "Методическое объединение не найдено.")


def save_association(fam: Family, data: dict, row=None):
    kind = data.get("kind") or ""
    errors = {}
    if kind not in fam.kinds:
        errors["kind"] = "Выберите вид: " + ", ".join(fam.kinds.values()) + "."
    name = " ".join((data.get("name") or "").split()) or fam.kinds.get(kind, "")
    if errors:
        raise Invalid(fields=errors)
    row = row or fam.Association()
    row.kind, row.name = kind, name[:300]
    db.session.add(row)
    db.session.commit()
    return row


def current_members(row) -> list:
    return [m for m in row.members if m.left_on is None]


def holder(row, role: str):
    return next((m for m in current_members(row) if m.role == role), None)


def member_options(fam: Family, row) -> list[Staff]:
    """Who may join: the staff in scope (the institution's, or the city's institutions') not yet members."""
    taken = {m.staff_id for m in current_members(row)}
    stmt = db.select(Staff).where(Staff.archived_at.is_(None)).order_by(Staff.last_name, Staff.first_name)
    return [s for s in db.session.execute(stmt).scalars() if s.id not in taken]


def add_member(fam: Family, row, staff_id, role: str = "member"):
    staff = find(Staff, staff_id)
    if staff is None or staff.archived:
        raise Invalid("staff_id", "Выберите сотрудника из списка.")
    if any(m.staff_id == staff.id for m in current_members(row)):
        raise Invalid("staff_id", f"{staff.short_name} уже в составе.")
    if role not in MEMBER_ROLES:
        raise Invalid("role", "Выберите: председатель, секретарь или член.")
    member = fam.Member(association_id=row.id, staff_id=staff.id, role="member", joined_on=date.today())
    row.members.append(member)
    db.session.flush()
    _give_role(row, member, role)
    db.session.commit()
    return member


def _give_role(row, member, role: str) -> None:
    """One chair and one secretary: giving the role to one member takes it from the other."""
    if role != "member":
        for other in current_members(row):
            if other.role == role and other is not member:
                other.role = "member"
    member.role = role


def set_role(fam: Family, row, member_id: int, role: str) -> None:
    member = get_or_404(fam.Member, member_id, "Участник не найден.", association_id=row.id)
    if role not in MEMBER_ROLES:
        raise Invalid("role", "Выберите: председатель, секретарь или член.")
    _give_role(row, member, role)
    db.session.commit()


def remove_member(fam: Family, row, member_id: int) -> None:
    member = get_or_404(fam.Member, member_id, "Участник не найден.", association_id=row.id)
    member.left_on, member.role = date.today(), "member"
    db.session.commit()


def may_keep(user, is_editor: bool, row) -> bool:
    """The curator and the head keep an institution's association (the coordinator the city's); its chair and
    secretary keep its meetings too."""
    if is_editor:
        return True
    return any(m.role in ("chair", "secretary") and m.staff.user_id == user.id for m in current_members(row))


def check_keeper(user, is_editor: bool, row) -> None:
    if not may_keep(user, is_editor, row):
        raise Forbidden("Заседания ведут куратор, руководитель, председатель и секретарь объединения.")


# --- meetings ----------------------------------------------------------------------------------------------------

def meetings(fam: Family, row) -> list:
    return list(db.session.execute(db.select(fam.Meeting).where(fam.Meeting.association_id == row.id)
                                   .order_by(fam.Meeting.held_on.desc(), fam.Meeting.id.desc())).scalars())


def meeting(fam: Family, row, meeting_id: int):
    return get_or_404(fam.Meeting, meeting_id, "Заседание не найдено.", association_id=row.id)


def _clean_meeting(data: dict) -> dict:
    errors = {}
    held_on = data["held_on"] if isinstance(data.get("held_on"), date) else parse_ru_date(data.get("held_on") or "")
    if held_on is None:
        errors["held_on"] = "Дата заседания в формате дд.мм.гггг."
    starts_at = (data.get("starts_at") or "").strip()
    if starts_at:
        match = _TIME.fullmatch(starts_at)
        if match is None:
            errors["starts_at"] = "Время в формате чч:мм, например 15:00."
        else:
            starts_at = f"{int(match[1]):02d}:{match[2]}"
    link = (data.get("link") or "").strip()
    if link and not link.startswith(("https://", "http://")):
        errors["link"] = "Ссылка на видеовстречу начинается с https://."
    if errors:
        raise Invalid(fields=errors)
    return {"held_on": held_on, "starts_at": starts_at, "place": (data.get("place") or "").strip()[:300],
            "link": link[:500], "topic": " ".join((data.get("topic") or "").split())[:500]}


def next_number(fam: Family, row, year: str) -> int:
    last = db.session.execute(db.select(db.func.max(fam.Meeting.number)).where(
        fam.Meeting.association_id == row.id, fam.Meeting.academic_year == year)).scalar_one()
    return (last or 0) + 1


def plan_meeting(fam: Family, row, data: dict):
    """A meeting planned ahead: its date, time, place or link, agenda (one question a line). Numbered within the
    academic year; its date joins the separate plan of the roadmap's activities it answers (item 9)."""
    values = _clean_meeting(data)
    agenda = [line.strip() for line in (data.get("agenda") or "").splitlines() if line.strip()]
    year = academic_year(values["held_on"])
    m = fam.Meeting(association_id=row.id, number=next_number(fam, row, year), academic_year=year, **values)
    for position, title in enumerate(agenda, start=1):
        m.agenda.append(fam.AgendaItem(position=position, title=title[:5000]))
    db.session.add(m)
    db.session.commit()
    _plan_date(fam, row, m)
    return m


def update_meeting(fam: Family, m, data: dict) -> None:
    _editable(m)
    values = _clean_meeting(data)
    for key, value in values.items():
        setattr(m, key, value)
    m.guests = (data.get("guests") or m.guests or "").strip()[:5000]
    db.session.commit()
    _plan_date(fam, m.association, m)


def cancel_meeting(fam: Family, m) -> None:
    _editable(m)
    m.state = MeetingState.CANCELLED
    db.session.commit()

    if fam.is_city:
        evidence.withdraw_city_source(_source(fam, m.association), m.id)
    else:
        evidence.withdraw_source("association_protocol", m.id)
    db.session.commit()


def _source(fam: Family, row) -> str:
    """Which roadmap items a protocol answers: the institution's association and the city's ГМО answer «заседания
    ГМО, ШМО» (9, 14); a seminar of curators answers «семинары-совещания кураторов» (23)."""
    return "city_seminar" if fam.is_city and row.kind == "seminar" else "association_protocol"


def _plan_date(fam: Family, row, m) -> None:
    title = f"Заседание № {m.number}: {m.topic or row.name}"
    if fam.is_city:
        evidence.plan_for_city_source(_source(fam, row), m.id, m.held_on, title)
    else:
        evidence.plan_for_source(row.institution_id, "association_protocol", m.id, m.held_on, title)


def _editable(m) -> None:
    if m.is_frozen:
        raise Invalid("state", "Протокол оформлен (или заседание отменено): он не меняется.")


def add_agenda_item(fam: Family, m, data: dict):
    _editable(m)
    title = " ".join((data.get("title") or "").split())
    if not title:
        raise Invalid("title", "Сформулируйте вопрос повестки дня.")
    item = fam.AgendaItem(meeting_id=m.id, position=len(m.agenda) + 1, title=title[:5000],
                          speaker=(data.get("speaker") or "").strip()[:300])
    m.agenda.append(item)
    db.session.commit()
    return item


def update_minutes(fam: Family, m, item_id: int, data: dict):
    """The minutes of one question: СЛУШАЛИ (speaker and what they said), ВЫСТУПИЛИ, РЕШИЛИ."""
    _editable(m)
    item = get_or_404(fam.AgendaItem, item_id, "Вопрос повестки не найден.", meeting_id=m.id)
    title = " ".join((data.get("title") or item.title).split())
    if not title:
        raise Invalid("title", "Сформулируйте вопрос повестки дня.")
    item.title = title[:5000]
    for key in ("speaker", "heard", "spoke", "decided"):
        if key in data:
            item.__setattr__(key, (data.get(key) or "").strip()[:(300 if key == "speaker" else 10000)])
    if "mentoring" in data:
        item.mentoring = data.get("mentoring") in ("1", "on", True)
    db.session.commit()
    return item


def remove_agenda_item(fam: Family, m, item_id: int) -> None:
    _editable(m)
    item = get_or_404(fam.AgendaItem, item_id, "Вопрос повестки не найден.", meeting_id=m.id)
    m.agenda.remove(item)
    for position, other in enumerate(m.agenda, start=1):
        other.position = position
    db.session.commit()


def record_attendance(fam: Family, m, present_ids, notes: dict[int, str]) -> None:
    """Who was present: every current member is marked present or absent (with the reason, if given)."""
    _editable(m)
    present = {int(i) for i in present_ids if str(i).isdigit()}
    have = {a.staff_id: a for a in m.attendance}
    for member in current_members(m.association):
        row = have.get(member.staff_id)
        if row is None:
            row = fam.Attendance(meeting_id=m.id, staff_id=member.staff_id)
            m.attendance.append(row)
        row.present = member.staff_id in present
        row.note = (notes.get(member.staff_id) or "").strip()[:300]
    if m.held_on <= date.today() and m.state is MeetingState.PLANNED:
        m.state = MeetingState.HELD
    db.session.commit()


def add_decision(fam: Family, m, data: dict):
    """A decision with its responsible person and due date (the protocol lists them under РЕШИЛИ)."""
    _editable(m)
    errors = {}
    text = " ".join((data.get("text") or "").split())
    if not text:
        errors["text"] = "Сформулируйте решение."
    item_id = data.get("agenda_item_id")
    item = None
    if item_id:
        item = next((i for i in m.agenda if str(i.id) == str(item_id)), None)
        if item is None:
            errors["agenda_item_id"] = "Выберите вопрос повестки этого заседания."
    staff = find(Staff, data.get("responsible_staff_id")) if data.get("responsible_staff_id") else None
    if data.get("responsible_staff_id") and staff is None:
        errors["responsible_staff_id"] = "Выберите ответственного из списка."
    due = parse_ru_date(data.get("due_date") or "") if data.get("due_date") else None
    if data.get("due_date") and due is None:
        errors["due_date"] = "Срок в формате дд.мм.гггг."
    elif due and due < m.held_on:
        errors["due_date"] = "Срок не раньше даты заседания."
    if errors:
        raise Invalid(fields=errors)
    decision = fam.Decision(meeting_id=m.id, agenda_item_id=item.id if item else None, text=text[:5000],
                            responsible_staff_id=staff.id if staff else None, due_date=due,
                            responsible=(data.get("responsible") or (staff.short_name if staff else "")).strip()[:300])
    m.decisions.append(decision)
    db.session.commit()
    return decision


def decision(fam: Family, decision_id: int):
    return get_or_404(fam.Decision, decision_id, "Решение не найдено.")


def mark_decision_done(fam: Family, row, user, is_editor: bool, note: str) -> None:
    """A decision is carried out: its responsible person or a keeper of the association says so."""
    own = row.responsible_staff is not None and row.responsible_staff.user_id == user.id
    if not (own or may_keep(user, is_editor, row.meeting.association)):
        raise Forbidden("Отмечает исполнение ответственный за решение или куратор.")
    if row.done_on is not None:
        raise Invalid("state", "Решение уже отмечено исполненным.")
    row.done_on, row.done_note = date.today(), (note or "").strip()[:5000]
    db.session.commit()


def open_decisions(fam: Family, row) -> list:
    return list(db.session.execute(db.select(fam.Decision).join(fam.Meeting, fam.Meeting.id == fam.Decision.meeting_id)
                                   .where(fam.Meeting.association_id == row.id, fam.Decision.done_on.is_(None),
                                          fam.Meeting.state == MeetingState.ISSUED)
                                   .order_by(fam.Decision.due_date, fam.Decision.id)).scalars())


# --- the protocol --------------------------------------------------------------------------------------------

def protocol_title(row, m) -> str:
    return f"Протокол № {m.number} заседания {GENITIVE.get(row.kind, row.name)} от {ru_date(m.held_on)}"


def issue_protocol(fam: Family, m, link: str = "") -> None:
    """Issue the protocol: the meeting took place, there is an agenda with a decision on every question, and the
    attendance is recorded. Frozen from now on; it answers the roadmap's tasks of its date by itself."""
    _editable(m)
    problems = []
    if m.held_on > date.today():
        problems.append(f"заседание назначено на {ru_date(m.held_on)} и ещё не прошло")
    if not m.agenda:
        problems.append("нет повестки дня")
    undecided = [str(i.position) for i in m.agenda if not i.decided.strip()
                 and not any(d.agenda_item_id == i.id for d in m.decisions)]
    if undecided:
        problems.append("нет решения по вопросам № " + ", ".join(undecided))
    if not any(a.present for a in m.attendance):
        problems.append("не отмечены присутствующие")
    if problems:
        raise Invalid("state", "Протокол не оформлен: " + "; ".join(problems) + ".")
    m.state, m.issued_at = MeetingState.ISSUED, clock.now()
    db.session.flush()
    _answer_roadmap(fam, m, link)
    db.session.commit()


def _answer_roadmap(fam: Family, m, link: str) -> None:
    row = m.association
    title = protocol_title(row, m)
    if not fam.is_city:
        evidence.record(row.institution_id, "association_protocol", m.id, m.held_on, title, link)
        return
    evidence.record_city(row.municipality_id, _source(fam, row), m.id, m.held_on, title, link)
    # Each institution whose people were present took part in the city's seminar (roadmap items 21, 23).
    for institution_id in sorted({a.staff.institution_id for a in m.attendance if a.present}):
        evidence.record(institution_id, "city_seminar", m.id, m.held_on, f"Участие: {title}", link)


def protocol_people(m) -> tuple[list, list]:
    present = sorted((a for a in m.attendance if a.present), key=lambda a: a.staff.full_name)
    absent = sorted((a for a in m.attendance if not a.present), key=lambda a: a.staff.full_name)
    return present, absent
