"""Orders (приказы): drafting, issuing (which approves the order's pairs), and the acknowledgement list."""
from __future__ import annotations

from datetime import UTC, date, datetime

from blinker import Namespace
from flask import current_app, url_for
from sqlalchemy.orm import joinedload, selectinload

from portal import clock
from portal.errors import Forbidden, Invalid, NotFound
from portal.extensions import db
from portal.formatting import parse_ru_date, ru_date
from portal.jobs.services import submit
from portal.mentoring import appendices, groups as group_rules
from portal.mentoring.models import Acknowledgement, MentoringGroup, Order
from portal.mentoring.signing import issuing_delegation
from portal.mentoring.states import GroupState
from portal.notifications.services import notify_staff
from portal.staff.models import Staff
from portal.uploads.models import Attachment
from portal.uploads.services import get_attachment
from portal.mentoring.years import with_people
from portal.years.services import check_open
from tenants.models import Institution
from tenants.queries import get_or_404


# Sent when an order is issued, inside its transaction: features whose documents an order approves (the
# institution's roadmap, incentives) listen, so orders need not know them.
order_issued = Namespace().signal("order-issued")


def signed_scan(row: Order) -> Attachment:
    if not row.signed_scan_id:
        raise NotFound("Скан подписанного приказа не прикреплён.")
    return get_attachment(row.signed_scan_id, "order", row.id)


# What the order's page and its DOCX walk: items, pairs with their members and staff, acknowledgements with
# their staff, appendices, who issued it — loaded with the order, a fixed number of statements at any size.
def order_load() -> tuple:
    return (selectinload(Order.items), selectinload(Order.appendices), joinedload(Order.issued_by),
            joinedload(Order.delegation),
            with_people(selectinload(Order.groups).selectinload(MentoringGroup.members)),
            selectinload(Order.acknowledgements).joinedload(Acknowledgement.staff))


def order(order_id: int) -> Order:
    return get_or_404(Order, order_id, "Приказ не найден.", options=order_load())


def orders() -> list[Order]:
    return list(db.session.execute(db.select(Order).order_by(Order.issued_on.desc(), Order.id.desc())).scalars())


def missing_consents(row: Order) -> list[str]:
    """Seed §3.2, §3.3: everyone the order appoints or pairs must have consented in writing, before its date."""
    out = []
    for g in row.groups:
        for m in g.members:
            if m.left_at is not None:
                continue
            if m.consent_date is None:
                out.append(m.staff.short_name)
            elif m.consent_date > row.issued_on:
                out.append(f"{m.staff.short_name} (согласие от {ru_date(m.consent_date)} — позже даты приказа)")
    return list(dict.fromkeys(out))


def check_issuable(row: Order) -> None:
    """Everything an order needs before the head signs it; each reason in Russian, all at once."""
    if row.issued_at is not None:
        raise Invalid("state", "Приказ уже издан.")
    check_open(row.academic_year, "state")
    problems = []
    if not row.items:
        problems.append("в приказе нет пунктов")
    missing = missing_consents(row)
    if missing:
        problems.append("нет письменного согласия на участие в наставничестве (положение, пп. 3.2, 3.3): "
                        + ", ".join(missing) + " — отметьте дату согласия на странице пары (группы)")
    problems += appendices.problems(row)
    if problems:
        raise Invalid("state", "Приказ не издан: " + "; ".join(problems) + ".")


def issue(row: Order, user, roles) -> None:
    """The head issues (or a curator the head delegated issuing to, which the order records)."""
    delegation = issuing_delegation(user, roles)
    issue_checked(row, user.id, delegation)


def issue_checked(row: Order, actor_id: int | None, delegation=None) -> None:
    """Issue once who may issue is settled. Issuing approves the order's pairs, which start on the order's date in
    its academic year (seed §6.2), and the local acts it has as appendices."""
    check_issuable(row)
    row.issued_at, row.issued_by_id = clock.now(), actor_id
    row.delegation_id = delegation.id if delegation is not None else None
    reason = f"Приказ № {row.number} от {ru_date(row.issued_on)}"
    for g in row.groups:
        if g.state is GroupState.PROPOSED:
            g.start_date, g.academic_year = row.issued_on, row.academic_year
            for m in g.members:
                if m.left_at is None:
                    m.joined_at = row.issued_on
            group_rules.change_state(g, GroupState.APPROVED, reason, actor_id, commit=False)
    appendices.on_issue(row)
    order_issued.send(row, actor_id=actor_id)   # what the order approves elsewhere (a roadmap, incentives)
    # The people it concerns are notified by a job committed with the order itself, so a broker that is down
    # delays the notifications and never loses them.
    submit("orders.notify_issued", row.id)
    db.session.commit()


def notify_issued(row: Order) -> int:
    """Everyone on the acknowledgement list and every member of the order's pairs: once each (dedup keys), however
    often the job runs. Inside the order's institution scope."""
    slug = db.session.get(Institution, row.institution_id).slug
    sent = 0
    with current_app.test_request_context("/"):  # links are built outside any request
        link = url_for("mentoring.order_page", inst_slug=slug, order_id=row.id)
    for ack in row.acknowledgements:
        sent += notify_staff(ack.staff, "acknowledgement_due", f"Ознакомьтесь с приказом № {row.number}",
                             body=f"«{row.title}». Срок ознакомления — до {ru_date(ack.due_date)}.", url=link,
                             dedup_key=f"ack:{ack.id}") is not None
    for g in row.groups:
        for m in g.members:
            if m.left_at is None:
                sent += notify_staff(m.staff, "assignment", "Вы включены в наставническую пару (группу)",
                                     body=f"Пара (группа) № {g.id} утверждена приказом № {row.number}.",
                                     dedup_key=f"assignment:{g.id}:{m.staff_id}") is not None
    return sent


def acknowledge(ack_id: int, user) -> Acknowledgement:
    """The person acknowledges with their own button: only the staff record linked to this account may."""
    ack = get_or_404(Acknowledgement, ack_id, "Отметка об ознакомлении не найдена.")
    if ack.staff.user_id != user.id:
        raise Forbidden("Отметить ознакомление может только тот, кому адресован приказ.")
    if ack.order.issued_at is None:
        raise Invalid("state", "Приказ ещё не издан.")
    if ack.acknowledged_at is None:
        ack.acknowledged_at = clock.now()
        db.session.commit()
    return ack


def record_paper_signature(ack_id: int, actor_id: int, signed_on: str) -> Acknowledgement:
    ack = get_or_404(Acknowledgement, ack_id, "Отметка об ознакомлении не найдена.")
    day = parse_ru_date(signed_on or "") or date.today()
    if day > date.today():
        raise Invalid("signed_on", "Дата подписи не может быть в будущем.")
    ack.acknowledged_at = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
    ack.on_paper, ack.recorded_by_id = True, actor_id
    db.session.commit()
    return ack


def record_paper_signatures(order: Order, ack_ids, actor_id: int, signed_on: str) -> int:
    """The paper list of acknowledgement: the ticked people of this issued order signed it on one day."""
    if order.issued_at is None:
        raise Invalid("ack_ids", "Приказ ещё не издан: подписи об ознакомлении ставят под изданным приказом.")
    day = parse_ru_date(signed_on or "") or date.today()
    if day > date.today():
        raise Invalid("signed_on", "Дата подписи не может быть в будущем.")
    wanted = {int(i) for i in ack_ids if str(i).isdigit()}
    todo = [a for a in order.acknowledgements if a.id in wanted and a.acknowledged_at is None]
    if not todo:
        raise Invalid("ack_ids", "Отметьте, кто расписался в листе ознакомления.")
    for ack in todo:
        ack.acknowledged_at = datetime.combine(day, datetime.min.time())
        ack.on_paper, ack.recorded_by_id = True, actor_id
    db.session.commit()
    return len(todo)


def is_overdue(ack: Acknowledgement, today: date | None = None) -> bool:
    return ack.acknowledged_at is None and ack.due_date < (today or date.today())


def pending_acknowledgements() -> list[Acknowledgement]:
    return list(db.session.execute(db.select(Acknowledgement).join(Order).where(
        Acknowledgement.acknowledged_at.is_(None), Order.issued_at.is_not(None)).order_by(Acknowledgement.due_date)).scalars())


def my_acknowledgements(user) -> list[Acknowledgement]:
    return list(db.session.execute(db.select(Acknowledgement).join(Order).join(Staff, Staff.id == Acknowledgement.staff_id)
                                   .where(Staff.user_id == user.id, Order.issued_at.is_not(None))
                                   .order_by(Acknowledgement.acknowledged_at.is_not(None), Acknowledgement.due_date)).scalars())
