"""The register of local acts (локальные акты): the institution's Положение о системе наставничества, its own
roadmap, its acts on incentives and others, each with its versions (text or file, date, approving order)."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db
from portal.formatting import ru_date
from tenants.models import TenantOwned


class ActKind(enum.StrEnum):
    """What an act is; new kinds (issue 13's roadmap of the institution) are new members, nothing else changes."""

    REGULATION = "regulation"
    ROADMAP = "roadmap"
    INCENTIVE = "incentive"
    OTHER = "other"

    @property
    def label(self) -> str:
        return ACT_KIND_LABELS[self]


ACT_KIND_LABELS = {
    ActKind.REGULATION: "Положение о системе наставничества",
    ActKind.ROADMAP: "Дорожная карта (план мероприятий) организации",
    ActKind.INCENTIVE: "Акт о поощрении наставников",
    ActKind.OTHER: "Иной локальный акт",
}


class LocalAct(TenantOwned, db.Model):
    """One act of the register; its content lives in its versions."""

    __tablename__ = "local_act"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(500))
    public: Mapped[bool] = mapped_column(Boolean, default=True)  # seed §8.1: the current version goes on the site
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    versions: Mapped[list[LocalActVersion]] = relationship(back_populates="act", cascade="all, delete-orphan",
                                                           order_by="LocalActVersion.number")

    @property
    def kind_label(self) -> str:
        return ActKind(self.kind).label if self.kind in ActKind._value2member_map_ else self.kind

    @property
    def current(self) -> LocalActVersion | None:
        """The version in force: the last one approved."""
        approved = [v for v in self.versions if v.approved_on is not None]
        return max(approved, key=lambda v: (v.approved_on, v.number)) if approved else None

    @property
    def draft(self) -> LocalActVersion | None:
        return next((v for v in self.versions if v.approved_on is None), None)


class LocalActVersion(TenantOwned, db.Model):
    """A version (редакция) of an act. A draft is edited in place; an approved one never changes: the next
    редакция is a new version, and the old one stays in the register."""

    __tablename__ = "local_act_version"
    __table_args__ = (UniqueConstraint("act_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    act_id: Mapped[int] = mapped_column(ForeignKey("local_act.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(500), default="")        # what this редакция changes
    approved_on: Mapped[date | None] = mapped_column(Date)           # None: a draft
    approving_order_id: Mapped[int | None] = mapped_column(ForeignKey("mentoring_order.id", ondelete="SET NULL"))
    approving_order_ref: Mapped[str] = mapped_column(String(300), default="")  # an order issued outside the portal
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    act: Mapped[LocalAct] = relationship(back_populates="versions")
    approving_order = relationship("Order", foreign_keys=[approving_order_id])
    attachment = relationship("Attachment")

    @property
    def is_draft(self) -> bool:
        return self.approved_on is None

    @property
    def approval_words(self) -> str:
        """«утверждено приказом от 21.11.2022 № 333-0», as a register and a site list it."""
        if self.approved_on is None:
            return "проект"
        if self.approving_order is not None:
            return f"утверждено приказом от {ru_date(self.approving_order.issued_on)} № {self.approving_order.number}"
        return f"утверждено {self.approving_order_ref}" if self.approving_order_ref else f"утверждено {ru_date(self.approved_on)}"
