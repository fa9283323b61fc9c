"""The personal calendar feed: the meetings of the person's pairs and of the methodological associations they sit
on, in the institutions where they hold a role — and nobody else's. The subscription address carries a secret
token and no name; a new address revokes the old one, and revoking leaves none."""
from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from portal import clock
from portal.accounts.models import User
from portal.association.models import AssociationMeeting, AssociationMember, CityAssociationMember, CityMeeting, MeetingState
from portal.documents.ics import Entry, calendar_bytes
from portal.extensions import db
from portal.calendar.models import CalendarToken
from portal.mentoring.models import GroupMember, Meeting
from portal.pairs.services import entry as pair_entry
from portal.staff.models import Staff
from tenants.models import Institution

PAST_DAYS = 365   # a feed carries a year back and everything ahead


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_of(user_id: int) -> CalendarToken | None:
    return db.session.execute(db.select(CalendarToken).where(CalendarToken.user_id == user_id)).scalar_one_or_none()


def issue(user_id: int) -> str:
    """A new secret for the user's feed (the old address stops working). Returned once; only its hash is kept."""
    token = secrets.token_urlsafe(32)
    row = token_of(user_id) or CalendarToken(user_id=user_id)
    row.token_hash, row.created_at, row.last_read_at = _hash(token), clock.now(), None
    db.session.add(row)
    db.session.commit()
    return token


def revoke(user_id: int) -> bool:
    row = token_of(user_id)
    if row is None:
        return False
    db.session.delete(row)
    db.session.commit()
    return True


def user_for(token: str):
    if not token or len(token) > 100:
        return None
    row = db.session.execute(db.select(CalendarToken).where(CalendarToken.token_hash == _hash(token))).scalar_one_or_none()
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    row.last_read_at = clock.now()
    db.session.commit()
    return user


def institutions_of_user(user) -> list[int]:
    return sorted({b.institution_id for b in user.bindings if b.institution_id})


def entries(user, today: date | None = None) -> list[Entry]:
    """Inside the scope of the user's own institutions: their staff records there, their pairs' meetings, their
    associations' meetings (and the city's, for a curator who sits on the city's ГМО)."""
    since = (today or date.today()) - timedelta(days=PAST_DAYS)
    staff_ids = list(db.session.execute(db.select(Staff.id).where(Staff.user_id == user.id)).scalars())
    if not staff_ids:
        return []
    names = dict(db.session.execute(db.select(Institution.id, Institution.short_name)).all())
    out: list[Entry] = []
    pair_rows = db.session.execute(db.select(Meeting).join(GroupMember, GroupMember.group_id == Meeting.group_id).where(
        GroupMember.staff_id.in_(staff_ids), GroupMember.left_at.is_(None), Meeting.held_on >= since,
        Meeting.state != "cancelled")).scalars().unique()

    out += [pair_entry(m, names.get(m.institution_id, "")) for m in pair_rows]
    for meeting_model, member_model, prefix in ((AssociationMeeting, AssociationMember, "association"),
                                                (CityMeeting, CityAssociationMember, "city")):
        rows = db.session.execute(db.select(meeting_model).join(
            member_model, member_model.association_id == meeting_model.association_id).where(
            member_model.staff_id.in_(staff_ids), member_model.left_on.is_(None), meeting_model.held_on >= since,
            meeting_model.state != MeetingState.CANCELLED)).scalars().unique()
        for m in rows:
            agenda = "\n".join(f"{i.position}. {i.title}" for i in m.agenda)
            out.append(Entry(uid=f"{prefix}-meeting-{m.id}@nastavnik",
                             summary=f"Заседание: {m.association.name}" + (f" — {m.topic}" if m.topic else ""),
                             day=m.held_on, starts_at=m.starts_at, minutes=90, place=m.place, link=m.link,
                             description=f"Повестка дня:\n{agenda}" if agenda else ""))
    return sorted(out, key=lambda e: (e.day, e.starts_at, e.uid))


def feed(user) -> bytes:
    return calendar_bytes(entries(user), name="Наставничество: мои встречи")


def empty_feed() -> bytes:
    return calendar_bytes([], name="Наставничество: подписка отключена")
