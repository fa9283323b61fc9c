"""Participants who are not the institution's staff (seed §2.3: «работодатель – студент», «педагог вуза/колледжа –
молодой педагог»): a partner organisation's employee or a student. Only what the pair and its order need is kept —
the name, the organisation, a position or course — and the written consent to processing it (152-ФЗ): no birth
date, no contacts, no documents. The record is erased with its memberships when it is no longer needed."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db
from portal.staff.models import PersonName
from tenants.models import TenantOwned

PARTNER_EMPLOYEE, STUDENT = "partner_employee", "student"
EXTERNAL_KINDS = {PARTNER_EMPLOYEE: "Работник организации-партнёра", STUDENT: "Студент"}
CONSENT_PURPOSE = ("участие в наставнической паре (группе) и включение в приказ о её закреплении: фамилия, имя, "
                   "отчество, организация, должность или курс")


class _NoCategory:
    label = "—"


class ExternalPerson(PersonName, TenantOwned, db.Model):
    __tablename__ = "external_person"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id", ondelete="SET NULL"), index=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[str] = mapped_column(String(300), default="")   # «преподаватель», «студент 3 курса»
    consent_date: Mapped[date | None] = mapped_column(Date)
    consent_attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"))
    consent_purpose: Mapped[str] = mapped_column(Text, default=CONSENT_PURPOSE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    partner = relationship("Partner")
    institution = relationship("Institution")

    # What a staff record offers to the pages and documents of a pair, so a member reads the same either way.
    user_id = None
    institution_start = pedagogical_start = young_specialist_manual = None
    category = _NoCategory()
    archived = False

    @property
    def kind_label(self) -> str:
        return EXTERNAL_KINDS.get(self.kind, self.kind)

    @property
    def organisation(self) -> str:
        return self.partner.name if self.partner else ""

    @property
    def position_label(self) -> str:
        return ", ".join(p for p in (self.position, self.organisation) if p) or self.kind_label

    def experience_words(self, as_of: date) -> str:
        return ""

    def tenure_here_words(self, as_of: date) -> str:
        return ""


class GroupForm(TenantOwned, db.Model):
    """A further form of a pair (group) besides its main one: seed §2.3, forms «в комплексе»."""

    __tablename__ = "group_form"
    group_id: Mapped[int] = mapped_column(ForeignKey("mentoring_group.id", ondelete="CASCADE"), primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("mentoring_form.id", ondelete="CASCADE"), primary_key=True)
