"""Incentives as a system: the institution's kinds of incentives (material and non-material, seeded on first use),
proposals to reward a mentor — from the methodological association or a colleague — the order «О поощрении» drafted
from the proposals (the orders with items of portal.mentoring), and, when the head issues it, the incentive on the
mentor's card, in the registry and in the indicators, the order answering roadmap item 5."""
from __future__ import annotations

from datetime import date

from flask import has_request_context, url_for

from portal import evidence
from portal.association.models import Association
from portal.association.services import current_members
from portal.consent.services import mentor_ids
from portal.errors import Invalid
from portal.extensions import db
from portal.formatting import ru_date
from portal.incentives.models import DEFAULT_KINDS, SOURCES, IncentiveKind, IncentiveProposal
from portal.mentoring import order_drafting
from portal.staff.models import Incentive, Staff
from portal.staff.services import staff_of
from tenants.queries import find, get_or_404

ORDER_TITLE = "О поощрении наставников"


def kinds(archived: bool = False) -> list[IncentiveKind]:
    rows = list(db.session.execute(db.select(IncentiveKind).order_by(IncentiveKind.id)).scalars())
    if not rows:
        rows = [IncentiveKind(name=name, code=code, material=material) for code, name, material in DEFAULT_KINDS]
        db.session.add_all(rows)
        db.session.commit()
    return [r for r in rows if archived or not r.archived]


def kind(kind_id: int) -> IncentiveKind:
    return get_or_404(IncentiveKind, kind_id, "Вид поощрения не найден.")


def _flag(value) -> bool:
    return str(value).lower() in ("1", "true", "on", "yes")


def save_kind(data: dict, row: IncentiveKind | None = None) -> IncentiveKind:
    name = " ".join((data.get("name") or (row.name if row else "")).split())
    errors = {}
    if not name:
        errors["name"] = "Укажите вид поощрения."
    elif len(name) > 300:
        errors["name"] = "Название — не длиннее 300 знаков."
    elif any(k.name.lower() == name.lower() and (row is None or k.id != row.id) for k in kinds(archived=True)):
        errors["name"] = "Такой вид поощрения уже есть."
    description = (data.get("description") if data.get("description") is not None else
                   (row.description if row else "")) or ""
    if len(description) > 5000:
        errors["description"] = "Описание — не длиннее 5000 знаков."
    if errors:
        raise Invalid(fields=errors)
    if row is None:
        row = IncentiveKind(code="other")
        db.session.add(row)
    row.name, row.description = name, description.strip()
    if "material" in data or row.id is None:
        row.material = _flag(data.get("material"))
    if "archived" in data:
        row.archived = _flag(data.get("archived"))
    db.session.commit()
    return row


# --- proposals --------------------------------------------------------------------------------------------------

def proposals(states=None) -> list[IncentiveProposal]:
    stmt = db.select(IncentiveProposal).order_by(IncentiveProposal.id.desc())
    if states:
        stmt = stmt.where(IncentiveProposal.state.in_(list(states)))
    return list(db.session.execute(stmt).scalars())


def proposal(proposal_id: int) -> IncentiveProposal:
    return get_or_404(IncentiveProposal, proposal_id, "Предложение о поощрении не найдено.")


def mentors() -> list[Staff]:
    """Whom one may propose: the institution's mentors (in the bank or mentoring a pair)."""
    ids = mentor_ids()
    return list(db.session.execute(db.select(Staff).where(Staff.id.in_(ids))
                                   .order_by(Staff.last_name, Staff.first_name)).scalars()) if ids else []


def propose(data: dict, user, editor: bool) -> IncentiveProposal:
    """A colleague (any member of the institution) or the association (its member, or the curator on its behalf)
    proposes to reward a mentor with one of the institution's kinds, for stated grounds."""
    me = staff_of(user)
    errors = {}
    staff = find(Staff, data.get("staff_id")) if str(data.get("staff_id") or "").isdigit() else None
    if staff is None or staff.id not in {s.id for s in mentors()}:
        errors["staff_id"] = "Выберите наставника из списка."
    elif me is not None and staff.id == me.id:
        errors["staff_id"] = "Себя к поощрению не предлагают."
    chosen = find(IncentiveKind, data.get("kind_id")) if str(data.get("kind_id") or "").isdigit() else None
    if chosen is None or chosen.archived:
        errors["kind_id"] = "Выберите вид поощрения."
    grounds = (data.get("grounds") or "").strip()
    if not grounds:
        errors["grounds"] = "Укажите, за что предлагается поощрение."
    source = data.get("source") or "colleague"
    if source not in SOURCES:
        errors["source"] = "Кто предлагает: методическое объединение или коллега."
    association = None
    if source == "association":
        association = find(Association, data.get("association_id")) if str(data.get("association_id") or "").isdigit() else None
        if association is None:
            errors["association_id"] = "Выберите методическое объединение (совет) наставников."
        elif not editor and not _member_of(association, me):
            errors["association_id"] = "От имени объединения предлагает его член или куратор."
    if me is None and not editor:
        errors["proposed_by"] = ("Предложение вносит сотрудник организации: ваша учётная запись не связана "
                                 "с карточкой сотрудника.")
    if errors:
        raise Invalid(fields=errors)
    row = IncentiveProposal(staff_id=staff.id, kind_id=chosen.id, grounds=grounds[:5000], source=source,
                            association_id=association.id if association else None,
                            proposed_by_staff_id=me.id if me else None, proposed_by_id=user.id)
    db.session.add(row)
    db.session.commit()
    return row


def associations() -> list:
    return list(db.session.execute(db.select(Association).where(Association.archived.is_(False))
                                   .order_by(Association.id)).scalars())


def _member_of(association, me) -> bool:
    return me is not None and any(m.staff_id == me.id for m in current_members(association))


def decline(row: IncentiveProposal, note: str) -> IncentiveProposal:
    if row.state != "proposed":
        raise Invalid("state", "Отклонить можно предложение, ещё не включённое в приказ.")
    if not (note or "").strip():
        raise Invalid("decision_note", "Укажите причину.")
    row.state, row.decision_note = "declined", note.strip()[:2000]
    db.session.commit()
    return row


# --- the order «О поощрении» --------------------------------------------------------------------------------------

def order_items(rows: list[IncentiveProposal]) -> str:
    lines = []
    for n, p in enumerate(rows, start=1):
        lines.append(f"{n}. Поощрить {p.staff.position_label.lower()} {p.staff.full_name} — {p.kind.name.lower()} "
                     f"({p.kind.material_label}): {p.grounds.rstrip('.')}.")
    lines.append(f"{len(rows) + 1}. Контроль за исполнением приказа оставляю за собой.")
    return "\n".join(lines)


def draft_order(institution, data: dict):
    """The draft of «О поощрении» for the chosen proposals: an item each, the rewarded to acknowledge it."""
    ids = []
    for raw in data.get("proposal_ids") or []:
        if str(raw).isdigit() and int(raw) not in ids:
            ids.append(int(raw))
    rows = [find(IncentiveProposal, i) for i in ids]
    if not rows or any(r is None or r.state != "proposed" for r in rows):
        raise Invalid("proposal_ids", "Выберите предложения о поощрении, ещё не включённые в приказ.")
    order = order_drafting.save_order({
        "kind": "incentive", "number": data.get("number") or "", "issued_on": data.get("issued_on") or "",
        "title": data.get("title") or ORDER_TITLE, "preamble": data.get("preamble") or
        "В целях мотивации и стимулирования наставников (положение о наставничестве, пп. 3.3, 3.5, 4.2)",
        "items": order_items(rows), "ack_staff_ids": [r.staff_id for r in rows],
        "ack_due": data.get("ack_due") or ""}, institution, commit=False)
    for r in rows:
        r.state, r.order_id = "in_order", order.id
    db.session.commit()
    return order


def on_order_issued(order) -> int:
    """The issued order approves its proposals: each becomes the mentor's incentive (staff card, registry,
    indicators); the order answers roadmap item 5 by itself."""
    rows = list(db.session.execute(db.select(IncentiveProposal).where(
        IncentiveProposal.order_id == order.id, IncentiveProposal.state == "in_order")).scalars())
    for r in rows:
        award = Incentive(staff_id=r.staff_id, kind=r.kind.code, kind_id=r.kind_id, level="institution",
                          grounds=r.grounds, awarded_on=order.issued_on, order_id=order.id)
        db.session.add(award)
        db.session.flush()
        r.state, r.incentive_id = "approved", award.id
    if rows:
        evidence.record(order.institution_id, "incentive_order", order.id, order.issued_on,
                        f"Приказ № {order.number} от {ru_date(order.issued_on)} «{order.title}»",
                        url_for("mentoring.order_page", order_id=order.id) if has_request_context() else "")
    return len(rows)


def awarded_between(start: date, end: date) -> int:
    return db.session.execute(db.select(db.func.count(db.func.distinct(Incentive.staff_id))).where(
        Incentive.awarded_on.between(start, end))).scalar_one()
