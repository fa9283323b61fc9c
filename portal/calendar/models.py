"""A person's calendar subscription: the address holds a random secret; only its hash is kept, so the address is
shown once, and a new one revokes the old."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.clock import UTCDateTime, now
from portal.extensions import db


class CalendarToken(db.Model):
    """Keyed by the user (a person's feed spans the institutions where they hold roles), like their inbox."""

    __tablename__ = "calendar_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)
    last_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
