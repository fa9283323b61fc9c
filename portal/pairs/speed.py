"""Meetings-only mentoring (seed §2.3): speed mentoring is one meeting of a mentee (or several) with a mentor of a
higher level — formed and held in one step, with no 3–12-month program and no order of закрепление (it lays no
lasting duties on anyone); the pair completes itself once its meeting is logged. Short-term and situational pairs
are formed as any pair and meet by a schedule or on request, also with no program."""
from __future__ import annotations

from datetime import date

from portal.errors import Invalid
from portal.extensions import db
from portal.formatting import parse_ru_date
from portal.mentoring import banks
from portal.mentoring import groups as group_rules
from portal.mentoring.forms_rules import SPEED
from portal.mentoring.models import Meeting, MentoringGroup
from portal.mentoring.states import GroupState
from portal.pairs import services as pairs

SPEED_REASON = "Скоростное наставничество: разовая встреча, без программы и приказа о закреплении"


def speed_forms() -> list:
    return [f for f in banks.forms() if f.kind == SPEED]


def _check_meeting(data: dict, held: bool) -> date:
    errors: dict[str, str] = {}
    day = data["held_on"] if isinstance(data.get("held_on"), date) else parse_ru_date(data.get("held_on") or "")
    if day is None:
        errors["held_on"] = "Дата встречи в формате дд.мм.гггг."
    elif held and day > date.today():
        errors["held_on"] = "Встреча ещё не состоялась: запланируйте её."
    elif not held and day < date.today():
        errors["held_on"] = "Встреча в прошлом: отметьте, что она состоялась."
    pairs._time(data.get("starts_at"), errors)
    try:
        _minutes(data)
    except Invalid as exc:
        errors.update(exc.fields)
    if not " ".join((data.get("topic") or "").split()):
        errors["topic"] = "Тема встречи."
    link = (data.get("link") or "").strip()
    if link and not link.startswith(("https://", "http://")):
        errors["link"] = "Ссылка на видеовстречу начинается с https://."
    if not held and not (data.get("place") or "").strip() and not link:
        errors["place"] = "Где пройдёт встреча: место или ссылка на видеовстречу."
    if errors:
        raise Invalid(fields=errors)
    return day


def speed_meeting(institution, data: dict, user, overseer: bool = True) -> tuple[MentoringGroup, Meeting]:
    """The pair of a speed form and its one meeting: planned ahead (a notice with .ics to each member), or recorded
    as held (`held`), which completes the pair at once. Nothing is written unless every field is right."""
    forms = speed_forms()
    chosen = str(data.get("form_id") or (forms[0].id if forms else ""))
    if not any(str(f.id) == chosen for f in forms):
        raise Invalid("form_id", "Выберите форму скоростного наставничества (страница «Формы наставничества»).")
    held = str(data.get("held") or "").lower() in ("1", "true", "on", "yes")
    day = _check_meeting(data, held)
    group = group_rules.form_group(institution, {**data, "form_id": chosen, "form_ids": [], "start_date": day,
                                                 "end_date": day}, user.id)
    group.state = GroupState.ACTIVE
    group_rules._log(group, GroupState.PROPOSED, GroupState.ACTIVE, SPEED_REASON, user.id)
    db.session.commit()
    if not held:
        return group, pairs.plan_meeting(group, data, user, overseer)
    link = (data.get("link") or "").strip()
    row = Meeting(group_id=group.id, held_on=day, duration_minutes=_minutes(data), format=group.format,
                  topic=" ".join((data.get("topic") or "").split())[:500], notes=(data.get("notes") or "").strip()[:5000],
                  state="held", place=(data.get("place") or "").strip()[:300], link=link[:500],
                  agenda=(data.get("agenda") or "").strip()[:5000], author_id=user.id)
    db.session.add(row)
    db.session.commit()
    pairs.complete_if_done(group, row, user.id)
    return group, row


def _minutes(data: dict) -> int:
    raw = str(data.get("duration_minutes") or "30").strip()
    if not raw.isdigit() or not 5 <= int(raw) <= 480:
        raise Invalid("duration_minutes", "Продолжительность — целое число минут от 5 до 480.")
    return int(raw)
