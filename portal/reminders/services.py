"""Reminders of one institution, run daily by Celery: plan items due soon and overdue, orders to acknowledge.

Idempotent: each reminder has a dedup key, so a task that runs twice (a redelivered message, a manual rerun)
sends nothing new. Runs inside the institution's scope."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app, url_for

from portal.accounts.services import user_ids_with_roles
from portal.annual.models import ReportState
from portal.annual.services import due_date, report_for
from portal.extensions import db
from portal.formatting import ru_date
from portal.mentoring.models import Acknowledgement, Order
from portal.mentoring.states import PlanItemStatus, ProgramState
from portal.notifications.services import notify_staff, notify_user
from portal.partners.services import has_agreement_on
from portal.programs.models import PlanItem, Program
from portal.programs.services import mark_overdue
from portal.roadmap.models import RoadmapTask, TaskStatus
from portal.surveys.models import SurveyCampaign, SurveyInvitation
from portal.years.services import year_of
from tenants.access import EDIT_PARTNERS, SUBMIT_EVIDENCE, WRITE_ANNUAL_REPORT
from tenants.models import Institution

ITEM_DUE_DAYS = 3
ACK_DUE_DAYS = 2


@dataclass
class Sent:
    marked_overdue: int = 0
    item_due: int = 0
    item_overdue: int = 0
    ack_due: int = 0
    ack_overdue: int = 0
    roadmap_due: int = 0
    roadmap_overdue: int = 0
    agreements: int = 0
    surveys: int = 0
    annual_report: int = 0


def _notify_program_people(item: PlanItem, kind: str, title: str, body: str, url: str) -> int:
    people = [item.program.mentee] + [m.staff for m in item.program.group.mentors]
    return sum(1 for staff in people
               if notify_staff(staff, kind, title, body=body, url=url, dedup_key=f"{kind}:{item.id}") is not None)


def send_reminders(institution: Institution, today: date | None = None) -> Sent:
    today = today or date.today()
    sent = Sent(marked_overdue=mark_overdue(today))
    with current_app.test_request_context("/"):  # links are built outside any request
        active_items = db.select(PlanItem).join(Program).where(Program.state == ProgramState.ACTIVE)
        soon = db.session.execute(active_items.where(
            PlanItem.status == PlanItemStatus.PLANNED,
            PlanItem.due_date.between(today, today + timedelta(days=ITEM_DUE_DAYS)))).scalars()
        for item in soon:
            url = url_for("programs.page", inst_slug=institution.slug, program_id=item.program_id)
            sent.item_due += _notify_program_people(item, "item_due", f"Срок мероприятия — {ru_date(item.due_date)}",
                                                    item.content, url)
        late = db.session.execute(active_items.where(PlanItem.status == PlanItemStatus.OVERDUE)).scalars()
        for item in late:
            url = url_for("programs.page", inst_slug=institution.slug, program_id=item.program_id)
            sent.item_overdue += _notify_program_people(
                item, "item_overdue", f"Мероприятие просрочено (срок был {ru_date(item.due_date)})", item.content, url)
        pending = db.session.execute(db.select(Acknowledgement).join(Order).where(
            Acknowledgement.acknowledged_at.is_(None), Order.issued_at.is_not(None),
            Acknowledgement.due_date <= today + timedelta(days=ACK_DUE_DAYS))).scalars()
        for ack in pending:
            overdue = ack.due_date < today
            kind = "ack_overdue" if overdue else "ack_due"
            title = (f"Просрочено ознакомление с приказом № {ack.order.number}" if overdue
                     else f"Ознакомьтесь с приказом № {ack.order.number} до {ru_date(ack.due_date)}")
            url = url_for("mentoring.order_page", inst_slug=institution.slug, order_id=ack.order_id)
            if notify_staff(ack.staff, kind, title, body=ack.order.title, url=url, dedup_key=f"{kind}:{ack.id}"):
                setattr(sent, kind, getattr(sent, kind) + 1)
        _roadmap_reminders(institution, today, sent)
        _agreement_reminder(institution, today, sent)
        _survey_reminders(institution, today, sent)
        _annual_report_reminders(institution, today, sent)
    return sent


SURVEY_DUE_DAYS = 3


def _survey_reminders(institution: Institution, today: date, sent: Sent) -> None:
    """Unanswered questionnaires of a campaign that closes within three days: one reminder each."""
    pending = db.session.execute(db.select(SurveyInvitation).join(SurveyCampaign).where(
        SurveyInvitation.answered.is_(False), SurveyCampaign.closes_on.is_not(None),
        SurveyCampaign.opens_on <= today,
        SurveyCampaign.closes_on.between(today, today + timedelta(days=SURVEY_DUE_DAYS)))).scalars()
    for inv in pending:
        url = url_for("surveys.answer", inst_slug=institution.slug, invitation_id=inv.id)
        if notify_staff(inv.staff, "survey_due", f"Осталось несколько дней: анкета «{inv.campaign.title}»",
                        body=f"Анкетирование закрывается {ru_date(inv.campaign.closes_on)}.", url=url,
                        dedup_key=f"survey_due:{inv.id}"):
            sent.surveys += 1


def _agreement_reminder(institution: Institution, today: date, sent: Sent) -> None:
    """In September: no agreement with a partner in force on 1 October → remind the head and curator, once a year."""
    oct1 = date(today.year, 10, 1)
    if not (today.month == 9 and not has_agreement_on(oct1)):
        return
    people = user_ids_with_roles(institution.id, EDIT_PARTNERS.roles)
    url = url_for("partners.index", inst_slug=institution.slug)
    for user_id in people:
        if notify_user(user_id, "agreements", f"До {ru_date(oct1)} заключите соглашение с организацией-партнёром",
                       body="Дорожная карта, п. 4: соглашения с партнёрами — ежегодно до 1 октября.", url=url,
                       dedup_key=f"agreements:{today.year}", institution_id=institution.id):
            sent.agreements += 1


ROADMAP_DUE_DAYS = 7


def _roadmap_reminders(institution: Institution, today: date, sent: Sent) -> None:
    """Roadmap tasks: a week before the (working) due date and once overdue, to the head and the curator."""
    people = user_ids_with_roles(institution.id, SUBMIT_EVIDENCE.roles)
    open_tasks = db.session.execute(db.select(RoadmapTask).where(
        RoadmapTask.status.in_([TaskStatus.OPEN, TaskStatus.RETURNED]), RoadmapTask.working_due_date.is_not(None),
        RoadmapTask.working_due_date <= today + timedelta(days=ROADMAP_DUE_DAYS))).scalars()
    for task in open_tasks:
        overdue = task.working_due_date < today
        kind = "roadmap_overdue" if overdue else "roadmap_due"
        title = (f"Просрочено мероприятие дорожной карты № {task.activity.number} ({task.period})" if overdue else
                 f"До {ru_date(task.working_due_date)}: мероприятие дорожной карты № {task.activity.number}")
        url = url_for("roadmap_inst.task", inst_slug=institution.slug, task_id=task.id)
        for user_id in people:
            if notify_user(user_id, kind, title, body=task.activity.title[:300], url=url, dedup_key=f"{kind}:{task.id}",
                           institution_id=institution.id):
                setattr(sent, kind, getattr(sent, kind) + 1)


ANNUAL_REPORT_DAYS = (3, 14)  # nearest first: reminders before the due date of the annual report (and once when it is overdue)


def _annual_report_reminders(institution: Institution, today: date, sent: Sent) -> None:
    """The annual report by 15 May (order item 2.3): two weeks and three days before, and once overdue, while it
    is not sent; to those who write it."""
    year = year_of(today)
    due = due_date(year)
    report = report_for(year)
    if report is not None and report.state in (ReportState.SUBMITTED, ReportState.ACCEPTED):
        return
    left = (due - today).days
    stage = next((d for d in ANNUAL_REPORT_DAYS if 0 <= left <= d), None)
    if stage is None and left >= 0:
        return
    kind = "annual_overdue" if left < 0 else "annual_due"
    title = (f"Просрочен отчёт о работе по организации наставничества за {year} (срок был {ru_date(due)})" if left < 0
             else f"До {ru_date(due)}: отчёт о работе по организации наставничества за {year} учебный год")
    url = url_for("annual.index", inst_slug=institution.slug, year=year)
    key = f"{kind}:{year}:{stage if stage is not None else 'late'}"
    for user_id in user_ids_with_roles(institution.id, WRITE_ANNUAL_REPORT.roles):
        if notify_user(user_id, kind, title, body="Приказ о наставничестве, п. 2.3: ежегодно до 15 мая.", url=url,
                       dedup_key=key, institution_id=institution.id):
            sent.annual_report += 1
