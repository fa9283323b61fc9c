"""Files kept in the database (PORTAL_STORAGE=database): an object per key, its bytes in chunks of 1 MiB so that
neither a write nor a read holds a whole file in memory."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, func
from sqlalchemy.orm import Mapped, mapped_column

from portal.clock import UTCDateTime
from portal.extensions import db


class StoredObject(db.Model):
    __tablename__ = "stored_object"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    chunks: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())


class StoredChunk(db.Model):
    __tablename__ = "stored_chunk"
    key: Mapped[str] = mapped_column(ForeignKey("stored_object.key", ondelete="CASCADE"), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
