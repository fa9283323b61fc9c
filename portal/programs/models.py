"""The personalised programs (ППН) with their plan and agreed changes; the institution's own program templates
(kept, or copied from a program that worked) and the plan items a mentee proposes for the mentor to accept (seed
§5.1: the mentee takes part in drafting the program)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db, value_enum
from portal.mentoring.states import CompletionReason, PlanItemStatus, ProgramState
from tenants.models import TenantOwned


class Program(TenantOwned, db.Model):
    """Персонализированная программа наставничества (ППН) of one mentee, 3 to 12 months long."""

    __tablename__ = "program"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("mentoring_group.id", ondelete="CASCADE"), index=True)
    mentee_staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    difficulties: Mapped[str] = mapped_column(Text, default="")
    strengths: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    tasks: Mapped[str] = mapped_column(Text, default="")
    expected_results: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    state: Mapped[ProgramState] = mapped_column(value_enum(ProgramState), default=ProgramState.DRAFT)
    completion_reason: Mapped[CompletionReason | None] = mapped_column(value_enum(CompletionReason))
    completion_note: Mapped[str] = mapped_column(Text, default="")
    completed_at: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    group = relationship("MentoringGroup")
    mentee = relationship("Staff")
    items: Mapped[list[PlanItem]] = relationship(back_populates="program", cascade="all, delete-orphan",
                                                 order_by="(PlanItem.due_date, PlanItem.id)")


class ProgramChange(TenantOwned, db.Model):
    """Seed §7.2: an extension or a change of content agreed by the mentor and the mentee."""

    __tablename__ = "program_change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # extension, content, state
    description: Mapped[str] = mapped_column(Text, default="")
    old_end_date: Mapped[date | None] = mapped_column(Date)
    new_end_date: Mapped[date | None] = mapped_column(Date)
    agreed_by_mentor: Mapped[str] = mapped_column(String(300), default="")
    agreed_by_mentee: Mapped[str] = mapped_column(String(300), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class PlanItem(TenantOwned, db.Model):
    """An item of the program's plan (план мероприятий)."""

    __tablename__ = "plan_item"
    # An aggregation chunk reads its institutions' rows of one period: (institution_id, date) keeps that proportional
    # to the chunk, where either index alone reads the whole region's period or every period of the chunk.
    __table_args__ = (Index("ix_plan_item_institution_id_due_date", "institution_id", "due_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), index=True)
    content: Mapped[str] = mapped_column(Text)
    form: Mapped[str] = mapped_column(String(200), default="")  # консультация, взаимопосещение, мастер-класс…
    due_date: Mapped[date] = mapped_column(Date, index=True)
    responsible: Mapped[str] = mapped_column(String(300), default="")
    expected_result: Mapped[str] = mapped_column(Text, default="")
    report_form: Mapped[str] = mapped_column(String(300), default="")
    difficulty: Mapped[str] = mapped_column(String(30), default="")   # the catalogue's code the item answers
    status: Mapped[PlanItemStatus] = mapped_column(value_enum(PlanItemStatus), default=PlanItemStatus.PLANNED, index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_note: Mapped[str] = mapped_column(Text, default="")

    program: Mapped[Program] = relationship(back_populates="items")


class PlanItemComment(TenantOwned, db.Model):
    __tablename__ = "plan_item_comment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    author = relationship("User")


class ProgramTemplate(TenantOwned, db.Model):
    __tablename__ = "program_template"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    goal: Mapped[str] = mapped_column(Text, default="")
    tasks: Mapped[str] = mapped_column(Text, default="")
    expected_results: Mapped[str] = mapped_column(Text, default="")
    months: Mapped[int] = mapped_column(Integer, default=9)
    # [{"weeks": 3, "content": …, "form": …, "expected_result": …, "report_form": …, "difficulty": code}]
    items: Mapped[list] = mapped_column(JSON, default=list)
    source_program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())


class PlanProposal(TenantOwned, db.Model):
    __tablename__ = "plan_proposal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"), index=True)
    author_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id", ondelete="SET NULL"))
    content: Mapped[str] = mapped_column(Text)
    form: Mapped[str] = mapped_column(String(200), default="")
    due_date: Mapped[date] = mapped_column(Date)
    expected_result: Mapped[str] = mapped_column(Text, default="")
    report_form: Mapped[str] = mapped_column(String(300), default="")
    state: Mapped[str] = mapped_column(String(20), default="pending", index=True)   # pending, accepted, declined
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_item.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    author = relationship("Staff")

    @property
    def state_label(self) -> str:
        return {"pending": "На рассмотрении у наставника", "accepted": "Принято в план",
                "declined": "Отклонено"}.get(self.state, self.state)
