"""Partner organizations of an institution and the agreements signed with them."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db
from tenants.models import TenantOwned

PARTNER_KINDS = {"school": "Общеобразовательная организация", "college": "Колледж, техникум", "university": "Вуз",
                 "culture": "Учреждение культуры", "sport": "Спортивная организация",
                 "dou": "Дошкольная образовательная организация", "other": "Иная организация"}


class Partner(TenantOwned, db.Model):
    __tablename__ = "partner"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20))
    site_url: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    agreements: Mapped[list[Agreement]] = relationship(back_populates="partner", order_by="Agreement.signed_on.desc()")

    @property
    def kind_label(self) -> str:
        return PARTNER_KINDS.get(self.kind, self.kind)


class Agreement(TenantOwned, db.Model):
    __tablename__ = "partner_agreement"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    signed_on: Mapped[date] = mapped_column(Date)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)       # None: open-ended
    subject: Mapped[str] = mapped_column(Text)
    file_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"))

    partner: Mapped[Partner] = relationship(back_populates="agreements")

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
