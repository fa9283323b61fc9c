"""The academic year (учебный год, 1 September – 31 August) of an institution as a lifecycle: open, then closed,
with the pairs that go on carried into the next year."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.clock import UTCDateTime
from portal.extensions import db
from tenants.models import TenantOwned


class AcademicYear(TenantOwned, db.Model):
    """A year that has been closed (an open year needs no row: every year is open until closed)."""

    __tablename__ = "academic_year"
    __table_args__ = (UniqueConstraint("institution_id", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[str] = mapped_column(String(9))           # «2022-2023»
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    carried_groups: Mapped[int] = mapped_column(Integer, default=0)
    carried_programs: Mapped[int] = mapped_column(Integer, default=0)
    next_order_id: Mapped[int | None] = mapped_column(ForeignKey("mentoring_order.id", ondelete="SET NULL"))


class GroupYear(TenantOwned, db.Model):
    """A pair (group) carried into a later academic year; its own year is `MentoringGroup.academic_year`."""

    __tablename__ = "group_year"
    group_id: Mapped[int] = mapped_column(ForeignKey("mentoring_group.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[str] = mapped_column(String(9), primary_key=True, index=True)
