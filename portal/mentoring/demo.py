"""Demo mentoring year for every demo institution: banks, pairs, an issued order, programs with plans, meetings.
In «Югорка» the demo mentor and mentee accounts are a pair, so each role sees a lived-in portal. Idempotent."""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app

from portal.extensions import db
from portal.local_acts import services as local_acts
from portal.mentoring import banks, groups, order_drafting, orders
from portal.mentoring.models import Meeting, MentoringGroup
from portal.mentoring.states import GroupFormat, PlanItemStatus, ProgramState
from portal.programs import services as programs
from portal.staff.models import Staff
from tenants.context import institution_scope


def load(municipality, institutions: dict) -> None:
    for slug, inst in institutions.items():
        with institution_scope(inst.id), current_app.test_request_context("/"):
            if db.session.execute(db.select(MentoringGroup.id)).first() is None:
                _year(inst, demo_pair=(slug == "yugorka"))


def _year(inst, demo_pair: bool) -> None:  # noqa: C901 (predates the limit)
    today = date.today()
    start = today - timedelta(days=75)
    staff = list(db.session.execute(db.select(Staff).where(Staff.archived_at.is_(None)).order_by(Staff.id)).scalars())
    seasoned = sorted((s for s in staff if (s.experience_months(today) or 0) >= 60 and "mentee" not in s.work_email),
                      key=lambda s: -(s.experience_months(today) or 0))
    young = [s for s in staff if s.is_young_specialist(today)]
    pairs: list[tuple[Staff, list[Staff]]] = []
    if demo_pair:
        mentor = next(s for s in staff if s.user and s.user.email.startswith("mentor."))
        mentee = next(s for s in staff if s.user and s.user.email.startswith("mentee."))
        pairs.append((mentor, [mentee]))
        seasoned = [s for s in seasoned if s.id not in (mentor.id, mentee.id)]
        young = [s for s in young if s.id not in (mentor.id, mentee.id)]
    for mentor in seasoned[:5]:
        banks.save_mentor({"staff_id": mentor.id, "competencies": ["planning", "methods", "parents"][: 1 + mentor.id % 3],
                           "areas": "Планирование, методика, работа с родителями"})
    for mentor, chunk in zip(seasoned[:3], (young[0:2], young[2:3], young[3:4])):
        if chunk:
            pairs.append((mentor, chunk))
    for s in young[4:6]:  # in the bank, waiting for a mentor: the dashboard shows them
        banks.save_need({"staff_id": s.id, "category": "young_specialist", "difficulties": ["planning", "methods"],
                         "own_request": "Хочу научиться планировать образовательную деятельность"})
    forms = {f.name: f.id for f in banks.forms()}
    made = []
    for mentor, mentees in pairs:
        form = "Наставничество в группе" if len(mentees) > 1 else "Традиционная форма наставничества («один-на-один»)"
        made.append(groups.form_group(inst, {"mentor_ids": [mentor.id], "mentee_ids": [m.id for m in mentees],
                                             "form_id": forms[form], "format": GroupFormat.IN_PERSON.value,
                                             "start_date": start}, None))
    if not made:
        return

    if local_acts.regulation() is None:
        local_acts.start_regulation(inst, None)
    for group in made:  # written consents first: an order is not issued without them (положение, пп. 3.2, 3.3)
        for member in group.members:
            groups.record_consent(group, member.id, (start - timedelta(days=3)).strftime("%d.%m.%Y"))
    form = order_drafting.new_form(inst, start)
    order = order_drafting.save_order({**form, "number": f"{100 + inst.id}-О", "issued_on": start,
                                       "group_ids": [g.id for g in made]}, inst)
    orders.issue_checked(order, None)
    for ack in order.acknowledgements:  # most signed on paper; the demo mentee has still to acknowledge
        if not (ack.staff.user and ack.staff.user.email.startswith("mentee.")):
            orders.record_paper_signature(ack.id, None, (start + timedelta(days=2)).strftime("%d.%m.%Y"))
    for group in made:
        for mentee in group.mentees:
            template = "dou_young" if inst.kind.value == "dou" else "school_young"
            row = programs.create_program(group, mentee.staff_id, {"start_date": start}, template)
            programs.change_state(row, ProgramState.APPROVED, None)
            programs.change_state(row, ProgramState.ACTIVE, None)
            for item in row.items:
                if item.due_date < today - timedelta(days=10):
                    item.status, item.done_note = PlanItemStatus.DONE, "Выполнено"
            db.session.commit()
        for weeks, topic in ((1, "Знакомство, планирование работы пары"), (4, "Разбор календарного плана"),
                             (8, "Анализ взаимопосещения занятий")):
            held = start + timedelta(weeks=weeks)
            if held <= today:
                db.session.add(Meeting(group_id=group.id, held_on=held, duration_minutes=45,
                                       format=GroupFormat.IN_PERSON, topic=topic))
        db.session.commit()
    programs.mark_overdue(today)
