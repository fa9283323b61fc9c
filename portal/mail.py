"""Outgoing e-mail: every message is kept in the outbox table with a job that delivers it (portal/jobs), both in
the caller's transaction; with SMTP configured the job sends it, retried with backoff while the server is down.

In the embedded default (no SMTP_HOST) messages stay in the outbox, which the admin sees as a page.
"""
from __future__ import annotations

from email.message import EmailMessage
import logging
from datetime import datetime
import smtplib

from flask import current_app
from sqlalchemy import Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from portal import clock
from portal.clock import UTCDateTime
from portal.extensions import db
from portal.jobs.services import submit

log = logging.getLogger("portal.mail")


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending, sent, kept, failed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str] = mapped_column(String(500), default="")
    calendar: Mapped[str] = mapped_column(Text, default="")   # an .ics attached to a meeting's notice


def send_mail(recipient: str, subject: str, body: str, *, commit: bool = True, calendar: str = "") -> OutboxMessage:
    """The message and its delivery job in one transaction (the caller's, with commit=False)."""
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, calendar=calendar)
    db.session.add(message)
    db.session.flush()
    submit("mail.deliver", message.id)
    if commit:
        db.session.commit()
    return message


def deliver(message_id: int) -> None:
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.status == "sent":
        return  # idempotent
    cfg = current_app.config
    if not cfg["MAIL_SERVER"]:
        message.status = "kept"
        db.session.commit()
        log.info("mail %s kept in the outbox (no SMTP configured)", message.id)
        return
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = cfg["MAIL_FROM"], message.recipient, message.subject
    email.set_content(message.body)
    if message.calendar:
        email.add_attachment(message.calendar.encode("utf-8"), maintype="text", subtype="calendar",
                             filename="meeting.ics", params={"method": "REQUEST"})
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20) as smtp:
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as exc:
        # Kept «pending» with the reason: the job retries; if it finally fails, the job row says so.
        message.error = type(exc).__name__
        db.session.commit()
        raise
    message.status, message.sent_at = "sent", clock.now()
    db.session.commit()
