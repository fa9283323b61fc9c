"""The kept exports of the registry (city rows); the trainings and incentives it lists are the staff's
(portal/staff/models.py)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db, value_enum
from portal.jobs.models import JobStatus
from tenants.models import CityOwned

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
