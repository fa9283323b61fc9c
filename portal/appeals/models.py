"""A mentee's request to replace the mentor, a mentor's request to be relieved (seed §4.1, §5.1)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db, value_enum
from portal.mentoring.states import RequestKind, RequestState
from tenants.models import TenantOwned


class MentoringRequest(TenantOwned, db.Model):
    """Seed §4.1, §5.1: a mentee asks to replace the mentor, a mentor asks to be relieved."""

    __tablename__ = "mentoring_request"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[RequestKind] = mapped_column(value_enum(RequestKind))
    group_id: Mapped[int] = mapped_column(ForeignKey("mentoring_group.id", ondelete="CASCADE"), index=True)
    author_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[RequestState] = mapped_column(value_enum(RequestState), default=RequestState.PENDING)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    new_group_id: Mapped[int | None] = mapped_column(ForeignKey("mentoring_group.id", ondelete="SET NULL"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("mentoring_order.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    group = relationship("MentoringGroup", foreign_keys=[group_id])
    author = relationship("Staff")
