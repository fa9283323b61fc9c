"""Surveys: questionnaire templates and campaigns (city rows); invitations, responses and anonymous tallies
(tenant rows). In anonymous mode no response is stored: only the tallies of the answers, and for each invitation
only whether it was answered — nothing links an answer to a person."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import UTCDateTime
from portal.extensions import db
from tenants.models import CityOwned, TenantOwned

AUDIENCES = {"mentor": "Наставники", "mentee": "Наставляемые"}
KINDS = {"scale10": "Шкала 1–10", "yesno": "Да / нет", "single": "Один вариант", "multi": "Несколько вариантов",
         "text": "Свободный ответ"}


class SurveyTemplate(CityOwned, db.Model):
    __tablename__ = "survey_template"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    audience: Mapped[str] = mapped_column(String(10))
    # [{"id": "q1", "text": "…", "kind": "scale10", "options": [...], "satisfaction": true}]
    questions: Mapped[list] = mapped_column(JSON)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyCampaign(CityOwned, db.Model):
    __tablename__ = "survey_campaign"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("survey_template.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(300))
    audience: Mapped[str] = mapped_column(String(10))
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    origin: Mapped[str] = mapped_column(String(20), default="campaign")   # campaign | program (sent on completion)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)                  # None: always open (program surveys)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.now())

    template: Mapped[SurveyTemplate] = relationship()

    def is_open(self, day: date) -> bool:
        return self.opens_on <= day and (self.closes_on is None or day <= self.closes_on)


class SurveyInvitation(TenantOwned, db.Model):
    __tablename__ = "survey_invitation"
    __table_args__ = (UniqueConstraint("campaign_id", "staff_id", "program_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaign.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[int | None] = mapped_column(ForeignKey("program.id", ondelete="CASCADE"))
    answered: Mapped[bool] = mapped_column(Boolean, default=False)   # no time: a timestamp could be matched to an answer

    campaign: Mapped[SurveyCampaign] = relationship()
    staff = relationship("Staff")


class SurveyResponse(TenantOwned, db.Model):
    """A named response (campaigns that are not anonymous)."""

    __tablename__ = "survey_response"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaign.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"), index=True)
    answers: Mapped[dict] = mapped_column(JSON)
    submitted_on: Mapped[date] = mapped_column(Date)


class SurveyTally(TenantOwned, db.Model):
    """Anonymous campaigns: per institution, the counts of every answer and the free texts, and nothing else."""

    __tablename__ = "survey_tally"
    __table_args__ = (UniqueConstraint("institution_id", "campaign_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaign.id", ondelete="CASCADE"), index=True)
    respondents: Mapped[int] = mapped_column(Integer, default=0)
    tallies: Mapped[dict] = mapped_column(JSON, default=dict)
