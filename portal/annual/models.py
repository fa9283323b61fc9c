"""The institution's annual report «Отчёт о работе по организации наставничества» (seed order item 2.3: each year
by 15 May) for one academic year, with its way to the city: черновик → отправлен → принят | возвращён."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db, value_enum
from tenants.models import TenantOwned


class ReportState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {"draft": "Черновик", "submitted": "Отправлен", "accepted": "Принят",
                "returned": "Возвращён с замечаниями"}[self.value]


class AnnualReport(TenantOwned, db.Model):
    __tablename__ = "annual_report"
    __table_args__ = (UniqueConstraint("institution_id", "academic_year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    academic_year: Mapped[str] = mapped_column(String(9), index=True)
    state: Mapped[ReportState] = mapped_column(value_enum(ReportState, 20), default=ReportState.DRAFT)
    figures: Mapped[dict] = mapped_column(JSON, default=dict)      # generated from the institution's data
    comments: Mapped[dict] = mapped_column(JSON, default=dict)     # figure key -> the institution's comment
    sections: Mapped[dict] = mapped_column(JSON, default=dict)     # narrative section key -> text
    details: Mapped[dict] = mapped_column(JSON, default=dict)      # pairs, orders and acts as of generation
    as_of: Mapped[date] = mapped_column(Date)                      # «to date»: the figures' day
    due_date: Mapped[date] = mapped_column(Date)
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    review_comment: Mapped[str] = mapped_column(Text, default="")

    institution = relationship("Institution")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    events: Mapped[list[ReportEvent]] = relationship(back_populates="report", cascade="all, delete-orphan",
                                                     order_by="ReportEvent.id")

    @property
    def editable(self) -> bool:
        return self.state in (ReportState.DRAFT, ReportState.RETURNED)

    def is_overdue(self, today: date) -> bool:
        return self.state in (ReportState.DRAFT, ReportState.RETURNED) and today > self.due_date


class ReportEvent(TenantOwned, db.Model):
    """Every step of a report: generated, submitted, returned (with the coordinator's remarks), accepted."""

    __tablename__ = "annual_report_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("annual_report.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    report: Mapped[AnnualReport] = relationship(back_populates="events")
    actor = relationship("User")
