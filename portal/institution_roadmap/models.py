"""The institution's own roadmap (дорожная карта ОО, seed §3.3–3.4, city roadmap item 3): developed by the curator
from the city's roadmap — its activities whose responsible is ОО — plus the institution's own items, with dates,
responsible people and results; approved by an order of the head.

An item derived from a city activity works on the city's tasks of that activity (one task, one evidence: fulfilling
the item fulfils the city's task); an item of the institution's own has tasks of its own, by its own wording."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime, now
from portal.extensions import db, value_enum
from portal.roadmap.deadlines import Rule
from tenants.models import TenantOwned


class RoadmapState(enum.StrEnum):
    DRAFT = "draft"
    ON_APPROVAL = "on_approval"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        return {"draft": "Проект", "on_approval": "На утверждении (проект приказа)", "approved": "Утверждена"}[self.value]


class InstitutionRoadmap(TenantOwned, db.Model):
    __tablename__ = "institution_roadmap"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    city_roadmap_id: Mapped[int | None] = mapped_column(ForeignKey("roadmap.id", ondelete="SET NULL"), index=True)
    state: Mapped[RoadmapState] = mapped_column(value_enum(RoadmapState, 20), default=RoadmapState.DRAFT)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("mentoring_order.id", ondelete="SET NULL"))
    # Kept in the register of local acts (issue 12): the approving order has this act's редакция as its appendix.
    local_act_id: Mapped[int | None] = mapped_column(ForeignKey("local_act.id", ondelete="SET NULL"))
    approved_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now)

    items: Mapped[list[InstitutionRoadmapItem]] = relationship(
        back_populates="roadmap", cascade="all, delete-orphan",
        order_by="(InstitutionRoadmapItem.position, InstitutionRoadmapItem.id)")
    order = relationship("Order")
    local_act = relationship("LocalAct")

    @property
    def period(self) -> tuple[int, int]:
        return self.first_year, self.last_year


class InstitutionRoadmapItem(TenantOwned, db.Model):
    __tablename__ = "institution_roadmap_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(ForeignKey("institution_roadmap.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    deadline_text: Mapped[str] = mapped_column(String(300))
    rule: Mapped[dict | None] = mapped_column(JSON)
    responsible_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    responsible_text: Mapped[str] = mapped_column(String(300), default="")
    result_text: Mapped[str] = mapped_column(String(500), default="")
    # The city activity the item derives from; None for the institution's own item.
    city_activity_id: Mapped[int | None] = mapped_column(ForeignKey("roadmap_activity.id", ondelete="SET NULL"),
                                                         index=True)

    roadmap: Mapped[InstitutionRoadmap] = relationship(back_populates="items")
    responsible_staff = relationship("Staff")
    city_activity = relationship("Activity")

    @property
    def derived(self) -> bool:
        return self.city_activity_id is not None

    @property
    def parsed_rule(self) -> Rule | None:
        return Rule.from_dict(self.rule)

    @property
    def responsible(self) -> str:
        if self.responsible_staff is not None:
            who = f"{self.responsible_staff.short_name}, {self.responsible_staff.position_label.lower()}"
            return f"{who}; {self.responsible_text}" if self.responsible_text else who
        return self.responsible_text


class OwnItemTask(TenantOwned, db.Model):
    """A task of an item of the institution's own, for one period: done when its evidence is recorded."""

    __tablename__ = "institution_roadmap_task"
    __table_args__ = (UniqueConstraint("item_id", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("institution_roadmap_item.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    due_date: Mapped[date | None] = mapped_column(Date)
    working_due_date: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    item: Mapped[InstitutionRoadmapItem] = relationship()

    def is_overdue(self, today: date) -> bool:
        return self.done_on is None and self.working_due_date is not None and self.working_due_date < today
