"""Who signs and who issues an institution's orders: the head's position and name under the order (from the
institution's settings, else the staff registry or the head's account), and the head's explicit delegation of
issuing to a curator, recorded and revocable (seed §3.3: the head issues the institution's local acts)."""
from __future__ import annotations


from portal import clock
from portal.accounts.models import User
from portal.accounts.services import user_ids_with_roles
from portal.exceptions import Forbidden, Invalid
from portal.extensions import db
from portal.mentoring.models import OrderDelegation
from portal.staff.models import Staff, initials_of
from tenants.access import INSTITUTION_CURATORS, INSTITUTION_HEADS, SIGN_ORDERS
from tenants.models import Institution, InstitutionKind
from tenants.queries import get_or_404

DEFAULT_HEAD_POSITION = {InstitutionKind.DOU: "Заведующий", InstitutionKind.SCHOOL: "Директор",
                         InstitutionKind.DO: "Директор"}
_GENITIVE = {"заведующий": "заведующего", "заведующая": "заведующего", "директор": "директора",
             "руководитель": "руководителя"}


def head_position(institution: Institution) -> str:
    return institution.head_position or DEFAULT_HEAD_POSITION.get(institution.kind, "Руководитель")


def deputy_words(institution: Institution) -> str:
    """«Заместителю заведующего» (the seed's item 2), «Заместителю директора»."""
    position = head_position(institution).split()[0].lower()
    return f"Заместителю {_GENITIVE.get(position, 'руководителя')}"


def signature_name(full_name: str) -> str:
    """«Соколова Ирина Павловна» → «И. П. Соколова»."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name.strip()
    return f"{initials_of(*parts[1:])} {parts[0]}"


def head_name(institution: Institution) -> str:
    if institution.head_name:
        return institution.head_name
    head = db.session.execute(db.select(Staff).where(Staff.position == "rukovoditel", Staff.archived_at.is_(None))
                              .order_by(Staff.id)).scalars().first()
    if head is not None:
        return head.signature_name

    ids = user_ids_with_roles(institution.id, INSTITUTION_HEADS)
    user = db.session.get(User, ids[0]) if ids else None
    return signature_name(user.full_name) if user is not None else ""


def signer_defaults(institution: Institution) -> tuple[str, str]:
    """(«Заведующий\\nМАДОУ ДСКВ «Радуга»», «И. П. Соколова») — as the seed's order is signed."""
    return f"{head_position(institution)}\n{institution.short_name}", head_name(institution)


# --- delegation of issuing ---------------------------------------------------------------------------------------

def active_delegation(user_id: int) -> OrderDelegation | None:
    return db.session.execute(db.select(OrderDelegation).where(
        OrderDelegation.user_id == user_id, OrderDelegation.revoked_at.is_(None))
        .order_by(OrderDelegation.id.desc())).scalars().first()


def delegations() -> list[OrderDelegation]:
    return list(db.session.execute(db.select(OrderDelegation).order_by(OrderDelegation.id.desc())).scalars())


def curators(institution: Institution) -> list:
    """The accounts that hold the curator's role here: who issuing may be delegated to."""
    ids = user_ids_with_roles(institution.id, INSTITUTION_CURATORS)
    return list(db.session.execute(db.select(User).where(User.id.in_(ids)).order_by(User.full_name)).scalars()) if ids else []


def delegate(institution: Institution, user_id, basis: str, actor_id: int) -> OrderDelegation:
    """The head lets a curator of this institution issue orders; the basis (an order, a power of attorney) is kept."""
    curators = set(user_ids_with_roles(institution.id, INSTITUTION_CURATORS))
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        user_id = None
    errors = {}
    if user_id not in curators:
        errors["user_id"] = "Выберите куратора этой организации."
    basis = " ".join((basis or "").split())
    if not basis:
        errors["basis"] = "Укажите основание, например «приказ от 01.09.2022 № 120-0»."
    if errors:
        raise Invalid(fields=errors)
    if active_delegation(user_id) is not None:
        raise Invalid("user_id", "Этому куратору издание приказов уже поручено.")
    row = OrderDelegation(user_id=user_id, basis=basis[:500], granted_by_id=actor_id, granted_at=clock.now())
    db.session.add(row)
    db.session.commit()
    return row


def revoke(delegation_id, actor_id: int) -> OrderDelegation:
    row = get_or_404(OrderDelegation, delegation_id, "Поручение не найдено.")
    if row.revoked_at is None:
        row.revoked_at, row.revoked_by_id = clock.now(), actor_id
        db.session.commit()
    return row


def issuing_delegation(user, roles) -> OrderDelegation | None:
    """None when the head issues; the delegation when a curator issues under one; Forbidden otherwise."""
    if SIGN_ORDERS.admits(roles):
        return None
    row = active_delegation(user.id)
    if row is None:
        raise Forbidden("Приказ издаёт руководитель. Куратор издаёт приказы только по поручению руководителя "
                        "(«Настройки организации» → «Поручение на издание приказов»).")
    return row


def may_issue(user, roles) -> bool:
    """Whether to offer «Издать приказ»: the head, or a curator the head delegated issuing to."""
    return SIGN_ORDERS.admits(roles) or active_delegation(user.id) is not None
