"""Job: one row per piece of background work that must happen (the outbox). The database, not the broker, is the
source of truth: a job is sent after its transaction commits, sent again by the relay when the broker lost it,
and says on the page that waits for it whether it is done or finally failed."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from portal.clock import UTCDateTime, now
from portal.extensions import db, value_enum


class JobStatus(enum.StrEnum):
    PENDING = "pending"    # committed, not yet handed to the broker
    QUEUED = "queued"      # handed to the broker
    RUNNING = "running"    # a worker started it
    DONE = "done"
    FAILED = "failed"      # retries exhausted; a person may retry it

    @property
    def label(self) -> str:
        return {"pending": "В очереди", "queued": "В очереди", "running": "Выполняется", "done": "Готово",
                "failed": "Не выполнено"}[self.value]

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.FAILED)


class Job(db.Model):
    """A task name and its arguments (ids only: no personal data in the broker), its state and its deliveries.

    `key` makes a job once-only (a periodic job's period, «registry.yearly:2027»): a second job with the same key
    is never created. `parent_id` ties the parts of a fan-out to the job a person waits for."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_status_sent_at", "status", "sent_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task: Mapped[str] = mapped_column(String(100))
    args: Mapped[list] = mapped_column(JSON, default=list)
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    status: Mapped[JobStatus] = mapped_column(value_enum(JobStatus, 10), default=JobStatus.PENDING)
    sends: Mapped[int] = mapped_column(Integer, default=0)       # times handed to the broker
    attempts: Mapped[int] = mapped_column(Integer, default=0)    # times a worker started it
    error: Mapped[str] = mapped_column(String(200), default="")  # the exception's type, never its text (data)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now, server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def celery_id(self) -> str:
        return f"job-{self.id}"
