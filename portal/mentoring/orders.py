"""Orders (приказы): drafting, issuing (which approves the order's pairs), and the acknowledgement list."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app, url_for

from portal.errors import Forbidden, Invalid, NotFound
from portal.extensions import db
from portal.formatting import parse_ru_date, ru_date
from portal.jobs.services import submit
from portal.mentoring import groups as group_rules
from portal.mentoring.models import Acknowledgement, MentoringGroup, Order, OrderGroup
from portal.mentoring.states import GroupState, OrderKind
from portal.notifications.services import notify_staff
from portal.staff.models import Staff
from portal.uploads.models import Attachment
from portal.uploads.services import get_attachment
from tenants.models import Institution
from tenants.queries import get_or_404

DEFAULT_ACK_DAYS = 3  # without a stated deadline, people have three days to read an order


def signed_scan(row: Order) -> Attachment:
    if not row.signed_scan_id:
        raise NotFound("Скан подписанного приказа не прикреплён.")
    return get_attachment(row.signed_scan_id, "order", row.id)


def order(order_id: int) -> Order:
    return get_or_404(Order, order_id, "Приказ не найден.")


def orders() -> list[Order]:
    return list(db.session.execute(db.select(Order).order_by(Order.issued_on.desc(), Order.id.desc())).scalars())


def default_items(kind: OrderKind, year: str) -> list[str]:
    if kind is OrderKind.PAIRS:
        return [f"Утвердить список наставников и наставляемых на {year} учебный год (приложение).",
                "Наставникам совместно с наставляемыми разработать персонализированные программы наставничества "
                "в срок до одного месяца.",
                "Контроль за исполнением приказа оставляю за собой."]
    if kind is OrderKind.REPLACEMENT:
        return ["Освободить от обязанностей наставника в связи с поданным заявлением.",
                "Назначить наставника (приложение).", "Контроль за исполнением приказа оставляю за собой."]
    return ["Контроль за исполнением приказа оставляю за собой."]


def save_order(data: dict, current: Order | None = None) -> Order:
    """Create or edit a draft order; validation covers every field before anything is written."""
    errors: dict[str, str] = {}
    kind = data.get("kind") or ""
    if kind not in OrderKind._value2member_map_:
        errors["kind"] = "Выберите вид приказа."
    number = (data.get("number") or "").strip()
    if not number:
        errors["number"] = "Укажите номер приказа, например 333-0."
    issued_on = data["issued_on"] if isinstance(data.get("issued_on"), date) else parse_ru_date(data.get("issued_on") or "")
    if issued_on is None:
        errors["issued_on"] = "Дата приказа в формате дд.мм.гггг."
    title = " ".join((data.get("title") or "").split())
    if not title:
        errors["title"] = "Укажите заголовок, например «О закреплении наставнических пар»."
    items = [line.strip() for line in (data.get("items") or "").splitlines() if line.strip()]
    if not items:
        errors["items"] = "Впишите пункты приказа (каждый с новой строки)."
    group_ids = [int(i) for i in data.get("group_ids", []) if str(i).isdigit()]
    linked = list(db.session.execute(db.select(MentoringGroup).where(MentoringGroup.id.in_(group_ids))).scalars())
    if len(linked) != len(set(group_ids)):
        errors["group_ids"] = "Выберите пары из списка."
    if kind == OrderKind.PAIRS.value and not linked:
        errors["group_ids"] = "Приказ о закреплении пар должен включать хотя бы одну пару (группу)."
    due = parse_ru_date(data.get("ack_due") or "") if data.get("ack_due") else None
    if data.get("ack_due") and due is None:
        errors["ack_due"] = "Срок ознакомления в формате дд.мм.гггг."
    if due and issued_on and due < issued_on:
        errors["ack_due"] = "Срок ознакомления не раньше даты приказа."
    if not errors and db.session.execute(db.select(Order.id).where(
            Order.number == number, Order.issued_on == issued_on, Order.id != (current.id if current else 0))).first():
        errors["number"] = "Приказ с таким номером и датой уже есть."
    if errors:
        raise Invalid(fields=errors)
    if current is not None:
        save_order_guard(current)
    row = current or Order()
    row.kind, row.number, row.issued_on, row.title = OrderKind(kind), number, issued_on, title
    row.preamble = (data.get("preamble") or "").strip()
    row.items = items
    row.signer_position = (data.get("signer_position") or "").strip()
    row.signer_name = (data.get("signer_name") or "").strip()
    row.academic_year = group_rules.academic_year(issued_on)
    if current is None:
        db.session.add(row)
    link_groups(row, linked)
    _set_ack_list(row, due or issued_on + timedelta(days=DEFAULT_ACK_DAYS), linked, data.get("ack_staff_ids"))
    db.session.commit()
    return row


def link_groups(row: Order, linked: list[MentoringGroup]) -> None:
    wanted = {g.id for g in linked}
    kept = [link for link in row.links if link.group_id in wanted]
    row.links = kept + [OrderGroup(group_id=gid) for gid in sorted(wanted - {link.group_id for link in kept})]
    db.session.flush()
    db.session.expire(row, ["groups"])


def as_form(row: Order) -> dict:
    """A draft order as the values of its edit form."""
    due = min((a.due_date for a in row.acknowledgements), default=None)
    return {"kind": row.kind.value, "number": row.number, "issued_on": ru_date(row.issued_on), "title": row.title,
            "preamble": row.preamble, "items": "\n".join(row.items or []), "group_ids": [g.id for g in row.groups],
            "signer_position": row.signer_position, "signer_name": row.signer_name, "ack_due": ru_date(due) if due else ""}


def save_order_guard(row: Order) -> None:
    if row.issued_at is not None:
        raise Invalid("state", "Изданный приказ не меняется: издайте новый приказ.")


def _set_ack_list(row: Order, due: date, linked: list[MentoringGroup], extra_ids) -> None:
    """By default everyone in the order's pairs must read it; the curator may add others."""
    wanted = {m.staff_id for g in linked for m in g.members if m.left_at is None}
    wanted |= {int(i) for i in (extra_ids or []) if str(i).isdigit()}
    have = {a.staff_id: a for a in row.acknowledgements}
    for staff_id in wanted - set(have):
        row.acknowledgements.append(Acknowledgement(staff_id=staff_id, due_date=due))
    for staff_id, ack in have.items():
        if ack.acknowledged_at is None:
            ack.due_date = due
            if staff_id not in wanted:
                row.acknowledgements.remove(ack)


def issue(row: Order, actor_id: int | None) -> None:
    """Issuing an order about pairs approves them (seed §6.2: pairs are approved by the head's order). The people
    it concerns are notified by a job committed with the order itself, so a broker that is down delays the
    notifications and never loses them."""
    if row.issued_at is not None:
        raise Invalid("state", "Приказ уже издан.")
    row.issued_at = datetime.utcnow()
    if row.kind in (OrderKind.PAIRS, OrderKind.REPLACEMENT):
        for g in row.groups:
            if g.state is GroupState.PROPOSED:
                group_rules.change_state(g, GroupState.APPROVED, f"Приказ № {row.number} от {ru_date(row.issued_on)}",
                                         actor_id, commit=False)
    submit("orders.notify_issued", row.id)
    db.session.commit()


def notify_issued(row: Order) -> int:
    """Everyone on the acknowledgement list and, for pairs, every member: once each (dedup keys), however often the
    job runs. Inside the order's institution scope."""
    slug = db.session.get(Institution, row.institution_id).slug
    sent = 0
    with current_app.test_request_context("/"):  # links are built outside any request
        link = url_for("mentoring.order_page", inst_slug=slug, order_id=row.id)
    for ack in row.acknowledgements:
        sent += notify_staff(ack.staff, "acknowledgement_due", f"Ознакомьтесь с приказом № {row.number}",
                             body=f"«{row.title}». Срок ознакомления — до {ru_date(ack.due_date)}.", url=link,
                             dedup_key=f"ack:{ack.id}") is not None
    if row.kind is OrderKind.PAIRS:
        for g in row.groups:
            for m in g.members:
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
        ack.acknowledged_at = datetime.utcnow()
        db.session.commit()
    return ack


def record_paper_signature(ack_id: int, actor_id: int, signed_on: str) -> Acknowledgement:
    ack = get_or_404(Acknowledgement, ack_id, "Отметка об ознакомлении не найдена.")
    day = parse_ru_date(signed_on or "") or date.today()
    if day > date.today():
        raise Invalid("signed_on", "Дата подписи не может быть в будущем.")
    ack.acknowledged_at = datetime.combine(day, datetime.min.time())
    ack.on_paper, ack.recorded_by_id = True, actor_id
    db.session.commit()
    return ack


def is_overdue(ack: Acknowledgement, today: date | None = None) -> bool:
    return ack.acknowledged_at is None and ack.due_date < (today or date.today())


def pending_acknowledgements() -> list[Acknowledgement]:
    return list(db.session.execute(db.select(Acknowledgement).join(Order).where(
        Acknowledgement.acknowledged_at.is_(None), Order.issued_at.is_not(None)).order_by(Acknowledgement.due_date)).scalars())


def my_acknowledgements(user) -> list[Acknowledgement]:
    return list(db.session.execute(db.select(Acknowledgement).join(Order).join(Staff, Staff.id == Acknowledgement.staff_id)
                                   .where(Staff.user_id == user.id, Order.issued_at.is_not(None))
                                   .order_by(Acknowledgement.acknowledged_at.is_not(None), Acknowledgement.due_date)).scalars())
