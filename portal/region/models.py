"""The region's merged registry: one kept export per build, with its files in the store (portal/storage)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db, value_enum
from portal.jobs.models import JobStatus
from portal.registry.models import ExportStatus


class RegionRegistryExport(db.Model):
    """One merged registry of a region (every city, the city a column), kept with its date, row count and checksums.
    A region's row, not a tenant's: read through portal.region.services.region_export (the scope's region only)."""

    __tablename__ = "region_registry_export"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    status: Mapped[ExportStatus] = mapped_column(value_enum(ExportStatus, 10), default=ExportStatus.QUEUED)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(100), default="по запросу")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    cities: Mapped[int] = mapped_column(Integer, default=0)
    sha256_xlsx: Mapped[str] = mapped_column(String(64), default="")
    sha256_csv: Mapped[str] = mapped_column(String(64), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))

    region = relationship("Region")
    requested_by = relationship("User")
    job = relationship("Job")

    @property
    def state(self) -> ExportStatus:
        if self.status is ExportStatus.DONE:
            return ExportStatus.DONE
        if self.status is ExportStatus.FAILED or (self.job is not None and self.job.status is JobStatus.FAILED):
            return ExportStatus.FAILED
        return self.status
