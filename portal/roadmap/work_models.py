"""The roadmap's work beyond the institutions' tasks: the dates of a separate plan («по отдельному плану»), the
education department's own tasks (УО), and the evidence of a task — what the portal itself produced (a protocol,
an order, survey results, the registry) and the entries gathered during the year («постоянно»)."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime, now
from portal.extensions import db, value_enum
from tenants.models import CityOwned, TenantOwned


class CityPlanDate(CityOwned, db.Model):
    """A date of the separate plan of an activity set by the coordinator: every institution works to it, or, for
    the department's own events (its ГМО meetings), the department alone."""

    __tablename__ = "roadmap_city_plan_date"
    __table_args__ = (UniqueConstraint("activity_id", "day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("roadmap_activity.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300), default="")
    department_only: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(40), default="")      # "" by hand; association_meeting
    source_id: Mapped[int | None] = mapped_column(Integer)


class InstitutionPlanDate(TenantOwned, db.Model):
    """A date of the separate plan of an activity set by the institution (its own meetings, its own events)."""

    __tablename__ = "roadmap_institution_plan_date"
    __table_args__ = (UniqueConstraint("institution_id", "activity_id", "day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("roadmap_activity.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(40), default="")      # "" by hand; association_meeting
    source_id: Mapped[int | None] = mapped_column(Integer)


class CityTaskStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"open": "Ожидается", "done": "Выполнено"}[self.value]


class CityTask(CityOwned, db.Model):
    """One activity of the education department (УО) × one period: the coordinator's own work."""

    __tablename__ = "roadmap_city_task"
    __table_args__ = (UniqueConstraint("activity_id", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("roadmap_activity.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    working_due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[CityTaskStatus] = mapped_column(value_enum(CityTaskStatus, 10), default=CityTaskStatus.OPEN)
    note: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    activity = relationship("Activity")

    def is_overdue(self, today: date) -> bool:
        return self.status is CityTaskStatus.OPEN and self.working_due_date is not None and self.working_due_date < today


class EvidenceColumns:
    """What one piece of evidence says: a document of the portal (`source` names its kind) or an entry written by
    hand during the year. `day` is the document's date; `until` makes one document answer every year up to it (an
    approved roadmap answers «разработка и утверждение» for the years it covers)."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("roadmap_activity.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(40), index=True)   # a key of evidence.SOURCES, or "entry"
    source_id: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(500))
    link: Mapped[str] = mapped_column(String(500), default="")    # a portal path, or https://… for an entry
    note: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    @property
    def from_portal(self) -> bool:
        return self.source != "entry"


class TaskEvidence(EvidenceColumns, TenantOwned, db.Model):
    """Evidence of an institution's task. A document of the portal is kept even before its task exists (the year's
    tasks may be generated later): `task_id` is set when it is matched."""

    __tablename__ = "roadmap_task_evidence"
    task_id: Mapped[int | None] = mapped_column(ForeignKey("roadmap_task.id", ondelete="CASCADE"), index=True)


class CityTaskEvidence(EvidenceColumns, CityOwned, db.Model):
    __tablename__ = "roadmap_city_task_evidence"
    task_id: Mapped[int | None] = mapped_column(ForeignKey("roadmap_city_task.id", ondelete="CASCADE"), index=True)
