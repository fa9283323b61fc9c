"""Training and incentives of mentors (tenant rows) and the kept exports of the registry (city rows)."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db, value_enum
from portal.jobs.models import JobStatus
from tenants.models import CityOwned, TenantOwned

TRAINING_KINDS = {"course": "Курсы повышения квалификации", "seminar": "Семинар", "webinar": "Вебинар",
                  "conference": "Конференция", "other": "Иное"}
INCENTIVE_KINDS = {"gratitude": "Благодарность", "diploma": "Почётная грамота", "bonus": "Премия",
                   "title": "Звание, знак отличия", "other": "Иное"}
INCENTIVE_LEVELS = {"institution": "Организации", "municipal": "Муниципальный", "regional": "Региональный",
                    "federal": "Федеральный"}


class Training(TenantOwned, db.Model):
    """A course, seminar or webinar a mentor attended (seed roadmap items 19–21)."""

    __tablename__ = "mentor_training"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(500))
    organizer: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    mentoring_related: Mapped[bool] = mapped_column(default=True)   # counted in the registry's «обучение наставничеству»
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    @property
    def kind_label(self) -> str:
        return TRAINING_KINDS.get(self.kind, self.kind)


class Incentive(TenantOwned, db.Model):
    """An incentive of a mentor (seed roadmap item 5): grounds, kind, level, the order that gave it."""

    __tablename__ = "mentor_incentive"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20), default="institution")
    grounds: Mapped[str] = mapped_column(Text)
    awarded_on: Mapped[date] = mapped_column(Date)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("mentoring_order.id", ondelete="SET NULL"))
    # The institution's own kind (portal.incentives) when the incentive came from a proposal; `kind` stays the
    # registry's code it counts as.
    kind_id: Mapped[int | None] = mapped_column(ForeignKey("incentive_kind.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    order = relationship("Order")
    kind_row = relationship("IncentiveKind", lazy="joined")

    @property
    def kind_label(self) -> str:
        return self.kind_row.name if self.kind_row is not None else INCENTIVE_KINDS.get(self.kind, self.kind)


class ExportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"queued": "В очереди", "running": "Формируется", "done": "Готово", "failed": "Не выполнено"}[self.value]


class RegistryExport(CityOwned, db.Model):
    """One generated registry of a municipality's mentors, kept with its date, author, row count and checksums."""

    __tablename__ = "registry_export"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[ExportStatus] = mapped_column(value_enum(ExportStatus, 10), default=ExportStatus.QUEUED)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(100), default="по запросу")   # «ежегодно, март» for the beat's
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress: Mapped[int] = mapped_column(Integer, default=0)      # mentors written so far
    total: Mapped[int] = mapped_column(Integer, default=0)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    sha256_xlsx: Mapped[str] = mapped_column(String(64), default="")
    sha256_csv: Mapped[str] = mapped_column(String(64), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))   # the outbox job building it

    requested_by = relationship("User")
    job = relationship("Job")

    @property
    def state(self) -> ExportStatus:
        """What the page shows: the export's own progress, or «не выполнено» once its job failed for good."""
        if self.status is ExportStatus.DONE:
            return ExportStatus.DONE
        if self.status is ExportStatus.FAILED or (self.job is not None and self.job.status is JobStatus.FAILED):
            return ExportStatus.FAILED
        return self.status
