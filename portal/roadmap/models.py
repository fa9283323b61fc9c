"""Roadmap models: a municipality's roadmap with sections and activities (city rows), the institutions' tasks
with their evidence and review, and the quarterly/annual snapshots of indicators (tenant rows)."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db, value_enum
from portal.roadmap.deadlines import Rule
from tenants.models import CityOwned, TenantOwned


class Level(enum.StrEnum):
    """Who carries an activity out: the education department (УО), the institutions (ОО), or both."""

    UO = "uo"
    OO = "oo"
    BOTH = "both"

    @property
    def label(self) -> str:
        return {"uo": "УО", "oo": "ОО", "both": "УО, ОО"}[self.value]


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {"open": "Ожидается", "submitted": "На проверке", "accepted": "Принято",
                "returned": "Возвращено на доработку"}[self.value]


RESULT_TYPES = {
    "order": "Приказ", "agreement": "Соглашение", "database": "База данных", "analytical_report": "Аналитический отчёт",
    "protocol": "Протокол", "survey": "Результаты анкетирования", "monitoring": "Мониторинг", "registry": "Реестр",
    "program": "Программы", "plan": "План работы", "information": "Информационные материалы",
    "certificates": "Подтверждающие документы", "other": "Иное",
}




class Roadmap(CityOwned, db.Model):
    __tablename__ = "roadmap"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("roadmap.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    # Sections and their activities come with the roadmap (selectin: two statements, whatever the count): every
    # page of a roadmap walks `activities`.
    sections: Mapped[list[RoadmapSection]] = relationship(back_populates="roadmap", cascade="all, delete-orphan",
                                                          lazy="selectin",
                                                          order_by="RoadmapSection.position")

    @property
    def period(self) -> tuple[int, int]:
        return self.first_year, self.last_year

    @property
    def activities(self) -> list[Activity]:
        return [a for s in self.sections for a in s.activities]


class RoadmapSection(CityOwned, db.Model):
    __tablename__ = "roadmap_section"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(ForeignKey("roadmap.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)

    roadmap: Mapped[Roadmap] = relationship(back_populates="sections")
    activities: Mapped[list[Activity]] = relationship(back_populates="section", cascade="all, delete-orphan",
                                                      lazy="selectin",
                                                      order_by="Activity.number")


class Activity(CityOwned, db.Model):
    __tablename__ = "roadmap_activity"
    __table_args__ = (UniqueConstraint("roadmap_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    roadmap_id: Mapped[int] = mapped_column(ForeignKey("roadmap.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("roadmap_section.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    deadline_text: Mapped[str] = mapped_column(String(300))          # as written
    rule: Mapped[dict | None] = mapped_column(JSON)                  # None: not understood, flagged for the coordinator
    responsible_text: Mapped[str] = mapped_column(String(300), default="")
    level: Mapped[Level] = mapped_column(value_enum(Level, 20))
    result_text: Mapped[str] = mapped_column(String(500), default="")
    result_type: Mapped[str] = mapped_column(String(30), default="other")
    # Which document of the portal answers the activity (a key of roadmap.evidence.SOURCES; "" by hand only).
    evidence_source: Mapped[str] = mapped_column(String(40), default="")

    section: Mapped[RoadmapSection] = relationship(back_populates="activities")
    roadmap: Mapped[Roadmap] = relationship()

    @property
    def parsed_rule(self) -> Rule | None:
        return Rule.from_dict(self.rule)

    @property
    def for_institutions(self) -> bool:
        return self.level in (Level.OO, Level.BOTH)


class RoadmapTask(TenantOwned, db.Model):
    """One activity × one institution × one period: what the institution must show, and the review."""

    __tablename__ = "roadmap_task"
    # An aggregation chunk reads its institutions' rows of one period: (institution_id, date) keeps that proportional
    # to the chunk, where either index alone reads the whole region's period or every period of the chunk.
    __table_args__ = (UniqueConstraint("institution_id", "activity_id", "period"),
                      Index("ix_roadmap_task_institution_id_due_date", "institution_id", "due_date"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("roadmap_activity.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(20))
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    working_due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[TaskStatus] = mapped_column(value_enum(TaskStatus, 20), default=TaskStatus.OPEN, index=True)
    evidence_text: Mapped[str] = mapped_column(Text, default="")
    evidence_link: Mapped[str] = mapped_column(String(500), default="")
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    review_comment: Mapped[str] = mapped_column(Text, default="")

    activity: Mapped[Activity] = relationship()
    institution = relationship("Institution")

    def is_overdue(self, today: date) -> bool:
        return (self.status in (TaskStatus.OPEN, TaskStatus.RETURNED) and self.working_due_date is not None
                and self.working_due_date < today)


class Snapshot(TenantOwned, db.Model):
    """Indicators of one institution for one period («2023-Q1», «2022-2023» for an academic year); upserted."""

    __tablename__ = "indicator_snapshot"
    __table_args__ = (UniqueConstraint("institution_id", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(20), index=True)
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime)


from portal.roadmap.work_models import (CityPlanDate, CityTask, CityTaskEvidence, CityTaskStatus,  # noqa: E402,F401
                                        InstitutionPlanDate, TaskEvidence)
