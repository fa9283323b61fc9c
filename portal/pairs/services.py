"""The pair's page: its meetings planned ahead (date, time, place or link, agenda) and logged after, and the
messages between its people. Only the pair's current members plan, log and write; the curator and the head see
every pair (OVERSEE_MENTORING) and plan meetings with it too."""
from __future__ import annotations

import re
from datetime import date

from flask import has_request_context, url_for

from portal import clock
from portal.documents.ics import Entry, calendar_bytes
from portal.errors import Forbidden, Invalid, NotFound
from portal.extensions import db
from portal.formatting import parse_ru_date, ru_date
from portal.mentoring import groups as group_rules
from portal.mentoring.forms_rules import one_off
from portal.mentoring.groups import LIVE
from portal.mentoring.models import Meeting, MentoringGroup
from portal.mentoring.states import GroupFormat, GroupState
from portal.notifications.services import notify_staff
from portal.pairs.models import PairMessage
from portal.staff.services import staff_of
from tenants.models import Institution
from tenants.queries import get_or_404

_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")
MAX_MINUTES = 8 * 60
PAGE_MESSAGES = 100


def member_staff(user, group: MentoringGroup):
    """The user's own staff record among the group's current members, or None."""
    me = staff_of(user)
    if me is None:
        return None
    return me if any(m.staff_id == me.id and m.left_at is None for m in group.members) else None


def visible(user, overseer: bool, group: MentoringGroup) -> MentoringGroup:
    if not overseer and member_staff(user, group) is None:
        raise NotFound("Пара (группа) не найдена.")   # another pair does not exist for its strangers
    return group


def _check_works(user, overseer: bool, group: MentoringGroup):
    me = member_staff(user, group)
    if me is None and not overseer:
        raise Forbidden("Встречи планируют и записывают участники пары (группы) и куратор.")
    if group.state not in LIVE:
        raise Invalid("state", "Пара (группа) уже завершила работу.")
    return me


def meetings(group: MentoringGroup) -> dict[str, list[Meeting]]:
    rows = list(db.session.execute(db.select(Meeting).where(Meeting.group_id == group.id)
                                   .order_by(Meeting.held_on.desc(), Meeting.id.desc())).scalars())
    return {"planned": sorted((m for m in rows if m.state == "planned"), key=lambda m: (m.held_on, m.starts_at)),
            "held": [m for m in rows if m.state == "held"], "cancelled": [m for m in rows if m.state == "cancelled"]}


def meeting(group: MentoringGroup, meeting_id: int) -> Meeting:
    return get_or_404(Meeting, meeting_id, "Встреча не найдена.", group_id=group.id)


def _time(raw: str, errors: dict) -> str:
    raw = (raw or "").strip()
    if not raw:
        return ""
    match = _TIME.fullmatch(raw)
    if match is None:
        errors["starts_at"] = "Время в формате чч:мм, например 15:30."
        return ""
    return f"{int(match[1]):02d}:{match[2]}"


def plan_meeting(group: MentoringGroup, data: dict, user, overseer: bool) -> Meeting:
    """A meeting planned ahead; every other member gets a notice with the meeting's .ics."""
    _check_works(user, overseer, group)
    errors: dict[str, str] = {}
    day = data["held_on"] if isinstance(data.get("held_on"), date) else parse_ru_date(data.get("held_on") or "")
    if day is None:
        errors["held_on"] = "Дата встречи в формате дд.мм.гггг."
    elif day < date.today():
        errors["held_on"] = "Встреча в прошлом: запишите её как состоявшуюся."
    starts_at = _time(data.get("starts_at"), errors)
    minutes = str(data.get("duration_minutes") or "45").strip()
    if not minutes.isdigit() or not 5 <= int(minutes) <= MAX_MINUTES:
        errors["duration_minutes"] = "Продолжительность — целое число минут от 5 до 480."
    link = (data.get("link") or "").strip()
    if link and not link.startswith(("https://", "http://")):
        errors["link"] = "Ссылка на видеовстречу начинается с https://."
    place = (data.get("place") or "").strip()
    topic = " ".join((data.get("topic") or "").split())
    if not topic:
        errors["topic"] = "Тема встречи."
    if not place and not link:
        errors["place"] = "Где пройдёт встреча: место или ссылка на видеовстречу."
    if errors:
        raise Invalid(next(iter(errors)), next(iter(errors.values())), fields=errors)
    fmt = GroupFormat.BLENDED if place and link else GroupFormat.REMOTE if link else GroupFormat.IN_PERSON
    row = Meeting(group_id=group.id, held_on=day, duration_minutes=int(minutes), format=fmt, topic=topic[:500],
                  state="planned", starts_at=starts_at, place=place[:300], link=link[:500],
                  agenda=(data.get("agenda") or "").strip()[:5000], author_id=user.id)
    db.session.add(row)
    db.session.commit()
    _notify(group, row, user, "meeting_planned", f"Встреча {ru_date(day)}{' в ' + starts_at if starts_at else ''}: {topic}")
    return row


def log_meeting(group: MentoringGroup, row: Meeting, data: dict, user, overseer: bool) -> Meeting:
    """A planned meeting took place: how long it lasted and what was done."""
    _check_works(user, overseer, group)
    if row.state != "planned":
        raise Invalid("state", "Записать можно только запланированную встречу.")
    if row.held_on > date.today():
        raise Invalid("held_on", "Встреча ещё не состоялась.")
    minutes = str(data.get("duration_minutes") or row.duration_minutes).strip()
    if not minutes.isdigit() or not 5 <= int(minutes) <= MAX_MINUTES:
        raise Invalid("duration_minutes", "Продолжительность — целое число минут от 5 до 480.")
    row.state, row.duration_minutes = "held", int(minutes)
    row.notes = (data.get("notes") or "").strip()[:5000]
    db.session.commit()

    complete_if_done(group, row, user.id)   # a speed pair is done with its one meeting
    return row


def cancel_meeting(group: MentoringGroup, row: Meeting, user, overseer: bool) -> Meeting:
    _check_works(user, overseer, group)
    if row.state != "planned":
        raise Invalid("state", "Отменить можно только запланированную встречу.")
    row.state = "cancelled"
    db.session.commit()
    _notify(group, row, user, "meeting_cancelled", f"Встреча {ru_date(row.held_on)} отменена: {row.topic}")
    return row


def entry(row: Meeting, institution_name: str = "") -> Entry:
    agenda = row.agenda.strip()
    return Entry(uid=f"pair-meeting-{row.id}@nastavnik", summary=f"Встреча наставничества: {row.topic}",
                 day=row.held_on, starts_at=row.starts_at, minutes=row.duration_minutes, place=row.place,
                 link=row.link, cancelled=row.state == "cancelled",
                 description="\n".join(p for p in (institution_name, f"Повестка: {agenda}" if agenda else "") if p))


def meeting_ics(row: Meeting, institution_name: str = "") -> bytes:
    return calendar_bytes([entry(row, institution_name)], method="REQUEST")


def _notify(group: MentoringGroup, row: Meeting, user, kind: str, title: str) -> None:
    institution = db.session.get(Institution, group.institution_id)
    url = ""
    if has_request_context():
        url = url_for("pairs.page", inst_slug=institution.slug, group_id=group.id)
    ics = meeting_ics(row, institution.short_name).decode("utf-8")
    for m in group.members:
        if m.left_at is None and m.staff.user_id not in (None, user.id):
            notify_staff(m.staff, kind, title, body=row.agenda or row.place or row.link, url=url,
                         dedup_key=f"{kind}:{row.id}:{m.staff_id}", calendar=ics)


# --- messages --------------------------------------------------------------------------------------------------

def messages(group: MentoringGroup) -> list[PairMessage]:
    rows = list(db.session.execute(db.select(PairMessage).where(PairMessage.group_id == group.id)
                                   .order_by(PairMessage.at.desc(), PairMessage.id.desc()).limit(PAGE_MESSAGES))
                .scalars())
    return rows[::-1]


def post_message(group: MentoringGroup, text: str, user) -> PairMessage:
    """Only the pair's own people write to each other; everyone else of the pair gets a notification."""
    me = member_staff(user, group)
    if me is None:
        raise Forbidden("Писать на странице пары могут только её участники.")
    text = (text or "").strip()
    if not text:
        raise Invalid("text", "Напишите сообщение.")
    row = PairMessage(group_id=group.id, author_staff_id=me.id, text=text[:5000], at=clock.now())
    db.session.add(row)
    db.session.commit()
    slug = db.session.get(Institution, group.institution_id).slug
    url = url_for("pairs.page", inst_slug=slug, group_id=group.id) if has_request_context() else ""
    for m in group.members:
        if m.left_at is None and m.staff_id != me.id:
            notify_staff(m.staff, "pair_message", f"Новое сообщение от {me.short_name}",
                         body=text[:300], url=url, dedup_key=f"pair_message:{row.id}:{m.staff_id}")
    return row


def complete_if_done(group: MentoringGroup, row: Meeting, actor_id: int | None) -> None:
    """A speed pair is done with its meeting: logged held, the pair completes."""
    if row.state == "held" and one_off(group) and group.state is GroupState.ACTIVE:
        group_rules.change_state(group, GroupState.COMPLETED, "Разовая встреча состоялась", actor_id)
