"""Contests of the city (city rows) and the institutions' entries (tenant rows); jury, scores and results."""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text,
                        UniqueConstraint, func)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db, value_enum
from tenants.models import CityOwned, TenantOwned




class ContestState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    JUDGING = "judging"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return {"draft": "Черновик", "open": "Приём заявок", "judging": "Экспертиза",
                "published": "Итоги опубликованы"}[self.value]


class EntryState(enum.StrEnum):
    SUBMITTED = "submitted"
    ADMITTED = "admitted"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"submitted": "Подана", "admitted": "Допущена", "rejected": "Отклонена"}[self.value]


PLACES = {1: "Победитель", 2: "Призёр", 3: "Призёр"}  # below: «Лауреат» for the top half, then «Участник»
TIE_RULE = ("При равенстве средних баллов выше ставится заявка с большим средним баллом по первому критерию, затем "
            "по второму и т. д.; при полном равенстве заявки делят место.")


class Contest(CityOwned, db.Model):
    __tablename__ = "contest"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer)
    rules: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[ContestState] = mapped_column(value_enum(ContestState, 20), default=ContestState.DRAFT)
    entries_from: Mapped[date] = mapped_column(Date)
    entries_until: Mapped[date] = mapped_column(Date)
    judging_until: Mapped[date] = mapped_column(Date)
    results_on: Mapped[date] = mapped_column(Date)
    results_version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    nominations: Mapped[list[Nomination]] = relationship(order_by="Nomination.id", cascade="all, delete-orphan")
    criteria: Mapped[list[Criterion]] = relationship(order_by="Criterion.position", cascade="all, delete-orphan")
    jurors: Mapped[list[Juror]] = relationship(order_by="Juror.id", cascade="all, delete-orphan")

    @property
    def heading(self) -> str:
        """The title with its year, once: «… — 2026» stays as it is, «…» becomes «…, 2026»."""
        return self.title if str(self.year) in self.title else f"{self.title}, {self.year}"


class Nomination(CityOwned, db.Model):
    __tablename__ = "contest_nomination"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    min_entries: Mapped[int] = mapped_column(Integer, default=3)


class Criterion(CityOwned, db.Model):
    __tablename__ = "contest_criterion"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    min_score: Mapped[int] = mapped_column(Integer, default=1)
    max_score: Mapped[int] = mapped_column(Integer, default=10)


class Juror(CityOwned, db.Model):
    __tablename__ = "contest_juror"
    __table_args__ = (UniqueConstraint("contest_id", "user_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20), default="member")   # chair | secretary | member
    # The juror's own institution (if any): they never score its entries.
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id", ondelete="SET NULL"))

    user = relationship("User")


class Entry(TenantOwned, db.Model):
    __tablename__ = "contest_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("contest_nomination.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)
    results: Mapped[str] = mapped_column(Text, default="")
    group_id: Mapped[int | None] = mapped_column(ForeignKey("mentoring_group.id", ondelete="SET NULL"))
    author_ids: Mapped[list] = mapped_column(JSON, default=list)          # staff ids: a tandem or a team
    state: Mapped[EntryState] = mapped_column(value_enum(EntryState, 20), default=EntryState.SUBMITTED)
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    nomination: Mapped[Nomination] = relationship()
    institution = relationship("Institution")
    group = relationship("MentoringGroup")


class Assignment(CityOwned, db.Model):
    """A juror assigned to an entry."""

    __tablename__ = "contest_assignment"
    __table_args__ = (UniqueConstraint("juror_id", "entry_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("contest_juror.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entry.id", ondelete="CASCADE"), index=True)

    juror: Mapped[Juror] = relationship()
    entry: Mapped[Entry] = relationship()


class Score(CityOwned, db.Model):
    __tablename__ = "contest_score"
    __table_args__ = (UniqueConstraint("assignment_id", "criterion_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("contest_assignment.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("contest_criterion.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")


class Result(CityOwned, db.Model):
    """A published ranking line; a correction publishes a new version, the old lines stay."""

    __tablename__ = "contest_result"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("contest_nomination.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("contest_entry.id", ondelete="CASCADE"))
    mean_total: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    held: Mapped[bool] = mapped_column(Boolean, default=True)   # False: the nomination did not take place

    entry: Mapped[Entry] = relationship()
