"""Attachment: a file owned by one institution; its path on disk is generated, never the user's name."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from portal.clock import UTCDateTime
from portal.extensions import db
from tenants.models import TenantOwned


class Attachment(TenantOwned, db.Model):
    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_type: Mapped[str] = mapped_column(String(50), index=True)  # plan_item, order, group_member, task, …
    owner_id: Mapped[int] = mapped_column(Integer, index=True)
    filename: Mapped[str] = mapped_column(String(255))   # shown to people, never used as a path
    storage_key: Mapped[str] = mapped_column(String(100), unique=True)  # <institution_id>/<uuid>
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())
