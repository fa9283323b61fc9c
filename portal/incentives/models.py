"""Kinds of incentives an institution sets (material and non-material, seed §3.5) and proposals to reward a mentor
— from the methodological association or from a colleague (§4.2) — approved by an order «О поощрении»."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db
from tenants.models import TenantOwned

# The kinds every institution starts with: (code of the registry's Incentive.kind, name, material?).
DEFAULT_KINDS = [
    ("gratitude", "Благодарность", False),
    ("diploma", "Почётная грамота", False),
    ("title", "Звание, знак отличия", False),
    ("bonus", "Премия", True),
    ("other", "Стимулирующая выплата", True),
]
SOURCES = {"association": "Методическое объединение (совет) наставников", "colleague": "Коллега"}
STATES = {"proposed": "Предложено", "in_order": "Включено в проект приказа", "approved": "Утверждено приказом",
          "declined": "Отклонено"}


class IncentiveKind(TenantOwned, db.Model):
    __tablename__ = "incentive_kind"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    material: Mapped[bool] = mapped_column(Boolean, default=False)
    code: Mapped[str] = mapped_column(String(20), default="other")   # the registry's kind it counts as
    description: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def material_label(self) -> str:
        return "материальное" if self.material else "нематериальное"


class IncentiveProposal(TenantOwned, db.Model):
    __tablename__ = "incentive_proposal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    kind_id: Mapped[int] = mapped_column(ForeignKey("incentive_kind.id", ondelete="RESTRICT"))
    grounds: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))                 # association, colleague
    association_id: Mapped[int | None] = mapped_column(ForeignKey("association.id", ondelete="SET NULL"))
    proposed_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    order_id: Mapped[int | None] = mapped_column(ForeignKey("mentoring_order.id", ondelete="SET NULL"), index=True)
    incentive_id: Mapped[int | None] = mapped_column(ForeignKey("mentor_incentive.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    staff = relationship("Staff", foreign_keys=[staff_id])
    proposed_by_staff = relationship("Staff", foreign_keys=[proposed_by_staff_id])
    kind = relationship("IncentiveKind")
    order = relationship("Order")

    @property
    def state_label(self) -> str:
        return STATES.get(self.state, self.state)

    @property
    def source_label(self) -> str:
        return SOURCES.get(self.source, self.source)
