"""The institution's own program templates (kept, or copied from a program that worked) and the plan items a mentee
proposes for the mentor to accept (seed §5.1: the mentee takes part in drafting the program)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db
from tenants.models import TenantOwned


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
