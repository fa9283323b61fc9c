"""Sending notifications: into the inbox of the staff member's account and, if asked, by e-mail."""
from __future__ import annotations

from portal import clock
from portal.accounts.models import User
from portal.extensions import db
from portal.mail import send_mail
from portal.notifications.models import Notification
from tenants.queries import one_or_404


def notify_user(user_id: int, kind: str, title: str, *, body: str = "", url: str = "", dedup_key: str = "",
                institution_id: int | None = None, email: bool = True, calendar: str = "") -> Notification | None:
    """Idempotent by (user, dedup_key): a second call with the same key sends nothing and returns None. `calendar`
    is an .ics attached to the e-mail (a meeting's notice)."""
    dedup_key = dedup_key or f"{kind}:{title}"
    exists = db.session.execute(db.select(Notification.id).where(
        Notification.user_id == user_id, Notification.dedup_key == dedup_key)).first()
    if exists:
        return None
    note = Notification(user_id=user_id, institution_id=institution_id, kind=kind, title=title, body=body, url=url,
                        dedup_key=dedup_key)
    db.session.add(note)
    user = db.session.get(User, user_id)
    if email and user is not None and user.active:
        send_mail(user.email, f"«Наставник»: {title}", (body + "\n\n" if body else "") + (url or ""), commit=False,
                  calendar=calendar)
    db.session.commit()   # the notification, the message and its delivery job together
    return note


def notify_staff(staff, kind: str, title: str, **kwargs) -> Notification | None:
    """Notify the account linked to a staff record; staff without an account get nothing in the portal."""
    if staff.user_id is None:
        return None
    return notify_user(staff.user_id, kind, title, institution_id=staff.institution_id, **kwargs)


def unread_count(user_id: int) -> int:
    return db.session.execute(db.select(db.func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))).scalar_one()


PAGE_SIZE = 30


def inbox(user_id: int, page: int = 1):
    """The user's notifications, unread first, newest first, as a Flask-SQLAlchemy page."""
    stmt = (db.select(Notification).where(Notification.user_id == user_id)
            .order_by(Notification.read_at.is_not(None), Notification.id.desc()))
    return db.paginate(stmt, page=page, per_page=PAGE_SIZE, error_out=False)


def mark_read(user_id: int, notification_id: int | None = None) -> int:
    """Marks one notification (or all of them) read; another user's notification is simply not found."""

    stmt = db.select(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    rows = list(db.session.execute(stmt).scalars())
    if notification_id is not None and not rows:
        one_or_404(Notification, "Уведомление не найдено.", id=notification_id, user_id=user_id)  # read already: fine
    for row in rows:
        row.read_at = clock.now()
    db.session.commit()
    return len(rows)
