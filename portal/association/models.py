"""Methodological associations and their meetings: an institution's ШМО / совет наставников (§3.5 of the seed's
Положение, tenant rows) and the city's ГМО and seminars of curators (roadmap items 9, 22, 23, city rows).

Both levels have the same shape — members with a chair and a secretary, meetings with an agenda, attendance,
minutes («слушали, выступили, решили») and decisions with a responsible person and a due date, and a plan of work
for the academic year — so the columns are written once, in mixins, and each level has its own tables: tenancy
stays one mechanism (TenantOwned for the institution's, CityOwned for the city's)."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from portal.clock import UTCDateTime, now
from portal.extensions import db, value_enum
from tenants.models import CityOwned, TenantOwned

KINDS = {
    "shmo": "Школьное методическое объединение наставников (ШМО)",
    "council": "Совет наставников",
    "commission": "Комиссия по наставничеству",
    "methodical_council": "Методический совет",
}
CITY_KINDS = {
    "gmo": "Городское методическое объединение (ГМО)",
    "seminar": "Семинар-совещание кураторов",
}
MEMBER_ROLES = {"chair": "Председатель", "secretary": "Секретарь", "member": "Член"}


class MeetingState(enum.StrEnum):
    PLANNED = "planned"
    HELD = "held"
    ISSUED = "issued"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"planned": "Запланировано", "held": "Проведено, протокол не оформлен", "issued": "Протокол оформлен",
                "cancelled": "Отменено"}[self.value]


def _fk(table: str, ondelete: str = "CASCADE", nullable: bool = False, index: bool = True):
    return mapped_column(ForeignKey(f"{table}.id", ondelete=ondelete), index=index, nullable=nullable)


class AssociationColumns:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(300))
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    def kind_label(self) -> str:
        return {**KINDS, **CITY_KINDS}.get(self.kind, self.kind)


class MemberColumns:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    role: Mapped[str] = mapped_column(String(20), default="member")     # MEMBER_ROLES
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)

    @declared_attr
    def staff_id(cls) -> Mapped[int]:  # noqa: N805
        return _fk("staff")

    @declared_attr
    def staff(cls):  # noqa: N805
        return relationship("Staff")

    @property
    def role_label(self) -> str:
        return MEMBER_ROLES.get(self.role, self.role)


class MeetingColumns:
    """A meeting (заседание): planned ahead (date, time, place or link, agenda), then held (attendance, minutes,
    decisions), then its protocol issued — frozen, numbered, the evidence of the roadmap's items."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(Integer)                        # «Протокол № 3» within the academic year
    academic_year: Mapped[str] = mapped_column(String(9))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    starts_at: Mapped[str] = mapped_column(String(5), default="")       # «15:00»
    place: Mapped[str] = mapped_column(String(300), default="")
    link: Mapped[str] = mapped_column(String(500), default="")           # a video call
    topic: Mapped[str] = mapped_column(String(500), default="")
    state: Mapped[MeetingState] = mapped_column(value_enum(MeetingState, 20), default=MeetingState.PLANNED)
    guests: Mapped[str] = mapped_column(Text, default="")                # invited, not members
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_frozen(self) -> bool:
        return self.state in (MeetingState.ISSUED, MeetingState.CANCELLED)


class AgendaColumns:
    """An item of the agenda and its minutes: who was heard and what they said, who spoke, what was decided."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    speaker: Mapped[str] = mapped_column(String(300), default="")         # «Петрову А.С., куратора»
    heard: Mapped[str] = mapped_column(Text, default="")                  # СЛУШАЛИ
    spoke: Mapped[str] = mapped_column(Text, default="")                  # ВЫСТУПИЛИ
    decided: Mapped[str] = mapped_column(Text, default="")                # РЕШИЛИ (the text; decisions below)
    mentoring: Mapped[bool] = mapped_column(Boolean, default=True)        # a question of the mentoring programs


class DecisionColumns:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(300), default="")     # as the protocol writes it
    due_date: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    done_note: Mapped[str] = mapped_column(Text, default="")

    @declared_attr
    def responsible_staff_id(cls) -> Mapped[int | None]:  # noqa: N805
        return _fk("staff", "SET NULL", nullable=True)

    @declared_attr
    def responsible_staff(cls):  # noqa: N805
        return relationship("Staff")

    def is_overdue(self, today: date) -> bool:
        return self.done_on is None and self.due_date is not None and self.due_date < today


class AttendanceColumns:
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str] = mapped_column(String(300), default="")            # «по болезни»

    @declared_attr
    def staff_id(cls) -> Mapped[int]:  # noqa: N805
        return _fk("staff")

    @declared_attr
    def staff(cls):  # noqa: N805
        return relationship("Staff")


class PlanItemColumns:
    """A line of the plan of work for the academic year (roadmap item 22): when, what, in what form, who."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    academic_year: Mapped[str] = mapped_column(String(9), index=True)
    position: Mapped[int] = mapped_column(Integer)
    when: Mapped[str] = mapped_column(String(100))                        # «сентябрь», «в течение года»
    content: Mapped[str] = mapped_column(Text)
    form: Mapped[str] = mapped_column(String(200), default="")            # заседание, семинар, открытое занятие
    responsible: Mapped[str] = mapped_column(String(300), default="")
    mentoring: Mapped[bool] = mapped_column(Boolean, default=True)


class PlanColumns:
    """The plan of work of one academic year: approved at a meeting (its protocol) or on a date."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    academic_year: Mapped[str] = mapped_column(String(9))
    approved_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300), default="")


# --- the institution's -------------------------------------------------------------------------------------------

class Association(AssociationColumns, TenantOwned, db.Model):
    """ШМО / совет наставников of an institution (§3.5)."""

    __tablename__ = "association"
    members: Mapped[list[AssociationMember]] = relationship(back_populates="association", cascade="all, delete-orphan",
                                                            order_by="AssociationMember.id")


class AssociationMember(MemberColumns, TenantOwned, db.Model):
    __tablename__ = "association_member"
    association_id: Mapped[int] = _fk("association")
    association: Mapped[Association] = relationship(back_populates="members")


class AssociationMeeting(MeetingColumns, TenantOwned, db.Model):
    __tablename__ = "association_meeting"
    association_id: Mapped[int] = _fk("association")
    association: Mapped[Association] = relationship()
    agenda: Mapped[list[AssociationAgendaItem]] = relationship(cascade="all, delete-orphan",
                                                               order_by="AssociationAgendaItem.position")
    attendance: Mapped[list[AssociationAttendance]] = relationship(cascade="all, delete-orphan",
                                                                   order_by="AssociationAttendance.id")
    decisions: Mapped[list[AssociationDecision]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                                order_by="AssociationDecision.id")


class AssociationAgendaItem(AgendaColumns, TenantOwned, db.Model):
    __tablename__ = "association_agenda_item"
    meeting_id: Mapped[int] = _fk("association_meeting")


class AssociationDecision(DecisionColumns, TenantOwned, db.Model):
    __tablename__ = "association_decision"
    meeting_id: Mapped[int] = _fk("association_meeting")
    agenda_item_id: Mapped[int | None] = _fk("association_agenda_item", "SET NULL", nullable=True)
    meeting: Mapped[AssociationMeeting] = relationship(back_populates="decisions")


class AssociationAttendance(AttendanceColumns, TenantOwned, db.Model):
    __tablename__ = "association_attendance"
    meeting_id: Mapped[int] = _fk("association_meeting")


class AssociationPlan(PlanColumns, TenantOwned, db.Model):
    __tablename__ = "association_plan"
    association_id: Mapped[int] = _fk("association")
    approved_meeting_id: Mapped[int | None] = _fk("association_meeting", "SET NULL", nullable=True, index=False)


class AssociationPlanItem(PlanItemColumns, TenantOwned, db.Model):
    __tablename__ = "association_plan_item"
    association_id: Mapped[int] = _fk("association")


# --- the city's ---------------------------------------------------------------------------------------------------

class CityAssociation(AssociationColumns, CityOwned, db.Model):
    """ГМО or the seminars of curators of a city (roadmap items 9, 22, 23): members are staff of its institutions."""

    __tablename__ = "city_association"
    members: Mapped[list[CityAssociationMember]] = relationship(back_populates="association",
                                                                cascade="all, delete-orphan",
                                                                order_by="CityAssociationMember.id")


class CityAssociationMember(MemberColumns, CityOwned, db.Model):
    __tablename__ = "city_association_member"
    association_id: Mapped[int] = _fk("city_association")
    association: Mapped[CityAssociation] = relationship(back_populates="members")


class CityMeeting(MeetingColumns, CityOwned, db.Model):
    __tablename__ = "city_meeting"
    association_id: Mapped[int] = _fk("city_association")
    association: Mapped[CityAssociation] = relationship()
    agenda: Mapped[list[CityAgendaItem]] = relationship(cascade="all, delete-orphan", order_by="CityAgendaItem.position")
    attendance: Mapped[list[CityAttendance]] = relationship(cascade="all, delete-orphan", order_by="CityAttendance.id")
    decisions: Mapped[list[CityDecision]] = relationship(back_populates="meeting", cascade="all, delete-orphan",
                                                         order_by="CityDecision.id")


class CityAgendaItem(AgendaColumns, CityOwned, db.Model):
    __tablename__ = "city_agenda_item"
    meeting_id: Mapped[int] = _fk("city_meeting")


class CityDecision(DecisionColumns, CityOwned, db.Model):
    __tablename__ = "city_decision"
    meeting_id: Mapped[int] = _fk("city_meeting")
    agenda_item_id: Mapped[int | None] = _fk("city_agenda_item", "SET NULL", nullable=True)
    meeting: Mapped[CityMeeting] = relationship(back_populates="decisions")


class CityAttendance(AttendanceColumns, CityOwned, db.Model):
    __tablename__ = "city_attendance"
    meeting_id: Mapped[int] = _fk("city_meeting")


class CityPlan(PlanColumns, CityOwned, db.Model):
    __tablename__ = "city_association_plan"
    association_id: Mapped[int] = _fk("city_association")
    approved_meeting_id: Mapped[int | None] = _fk("city_meeting", "SET NULL", nullable=True, index=False)


class CityPlanItem(PlanItemColumns, CityOwned, db.Model):
    __tablename__ = "city_association_plan_item"
    association_id: Mapped[int] = _fk("city_association")
