"""ConsentRecord: a separate record per person and purpose, with the text version and how it was given."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, Enum, ForeignKey, Integer, LargeBinary, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db
from tenants.models import TenantOwned


class ConsentKind(enum.StrEnum):
    PROCESSING = "processing"    # согласие на обработку персональных данных
    PUBLICATION = "publication"  # согласие на распространение (ст. 10.1 152-ФЗ)

    @property
    def label(self) -> str:
        return {"processing": "На обработку персональных данных",
                "publication": "На распространение (публикацию) персональных данных"}[self.value]


# Fields a person may allow to be published, with their Russian names.
PUBLISHABLE_FIELDS = {
    "full_name": "Фамилия, имя, отчество",
    "position": "Должность",
    "category": "Квалификационная категория",
    "experience": "Педагогический стаж",
    "competencies": "Компетенции наставника",
    "photo": "Фотография",
    "program_results": "Результаты программы наставничества",
}


class ConsentRecord(TenantOwned, db.Model):
    __tablename__ = "consent_record"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ConsentKind] = mapped_column(Enum(ConsentKind, native_enum=False, length=20))
    purpose: Mapped[str] = mapped_column(Text)
    data_list: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[list] = mapped_column(JSON, default=list)  # publication: keys of PUBLISHABLE_FIELDS allowed
    text_version: Mapped[str] = mapped_column(String(50), default="")
    given_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(100), default="письменно")  # письменно, электронно
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id", ondelete="SET NULL"))
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    staff = relationship("Staff")


class ErasureAct(TenantOwned, db.Model):
    """Акт об уничтожении персональных данных: what was destroyed, when, by whom and why. The act names the person,
    as the act must; the audit log keeps ids only."""

    __tablename__ = "erasure_act"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(Integer)        # the erased record's id, not a foreign key: it is gone
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    document: Mapped[bytes] = mapped_column(LargeBinary)
