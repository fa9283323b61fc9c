"""The best-practice bank and the news of the public section (city rows; an institution's own are marked with it)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db
from tenants.models import CityOwned

NEWS_KINDS = {"news": "Новость", "announcement": "Анонс", "recommendation": "Методические рекомендации",
              "document": "Нормативный документ"}


class BestPractice(CityOwned, db.Model):
    __tablename__ = "best_practice"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text)
    form_name: Mapped[str] = mapped_column(String(300), default="")   # форма наставничества
    topic: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(String(20))                   # contest | proposal
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("contest_entry.id", ondelete="SET NULL"))
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(20), default="proposed")   # proposed | approved | rejected
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    institution = relationship("Institution")


class NewsItem(CityOwned, db.Model):
    __tablename__ = "news_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="news")
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)

    institution = relationship("Institution")

    @property
    def kind_label(self) -> str:
        return NEWS_KINDS.get(self.kind, self.kind)
