"""Messages between the people of a pair (group), and the institution's settings of the daily mentoring work."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime, now
from portal.extensions import db
from tenants.models import TenantOwned

DEFAULT_INACTIVITY_WEEKS = 4


class PairMessage(TenantOwned, db.Model):
    """A message on the pair's page: only its current members write and read them (and the curator oversees)."""

    __tablename__ = "pair_message"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("mentoring_group.id", ondelete="CASCADE"), index=True)
    author_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, index=True)

    author = relationship("Staff")


class MentoringSettings(TenantOwned, db.Model):
    """The institution's own settings of the daily work (one row per institution, made on first change)."""

    __tablename__ = "mentoring_settings"
    __table_args__ = (UniqueConstraint("institution_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No meeting and no progress of the plan for this many weeks: the mentor is nudged, after twice as many the
    # curator. 0 turns the nudges off.
    inactivity_weeks: Mapped[int] = mapped_column(Integer, default=DEFAULT_INACTIVITY_WEEKS)
