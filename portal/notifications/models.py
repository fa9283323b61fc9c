"""Notification: one message in a user's inbox. Keyed by the user (a person's own inbox spans institutions)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from portal.clock import UTCDateTime
from portal.extensions import db


class Notification(db.Model):
    __tablename__ = "notification"
    # The dedup key makes reminders idempotent: the same reminder for the same thing is sent once.
    __table_args__ = (UniqueConstraint("user_id", "dedup_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    dedup_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
