"""Writing and reading the audit log."""
from __future__ import annotations


from flask import g, has_request_context, request
from flask_login import current_user

from portal import clock
from portal.audit.models import AuditEvent
from portal.extensions import db
from tenants.queries import institution_ids_of


def _actor_id() -> int | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def _ip() -> str:
    return request.remote_addr or "" if has_request_context() else ""


def record(action: str, object_type: str, object_id: int | None = None, *, institution_id: int | None = None,
           municipality_id: int | None = None, detail: str = "", actor_id: int | None = None) -> None:
    """Add an audit event to the current transaction (committed with the change it describes)."""
    if institution_id is None and has_request_context() and g.get("institution") is not None:
        institution_id = g.institution.id
    if municipality_id is None and has_request_context() and g.get("municipality") is not None:
        municipality_id = g.municipality.id
    db.session.add(AuditEvent(
        at=clock.now(), actor_id=actor_id if actor_id is not None else _actor_id(), action=action,
        object_type=object_type, object_id=object_id, institution_id=institution_id,
        municipality_id=municipality_id, ip=_ip(), detail=detail[:300]))


def record_cross_tenant(*, actor_id: int | None, municipality_ids, reason: str, once_a_day: bool = False) -> None:
    """The audit hook of tenants.context (installed by create_app): a crossing of tenants.

    A background job's crossing is added to its transaction, like any change. A person entering the city pages is
    recorded once per city and day, committed at once (a page view commits nothing else): the record says who
    worked across the city's institutions that day; each read of personal data there is recorded on its own.
    """
    for mid in sorted(municipality_ids):
        if once_a_day and _recorded_today(actor_id, mid, reason):
            continue
        record("cross_tenant", "municipality", mid, municipality_id=mid, detail=reason, actor_id=actor_id)
    if once_a_day:
        db.session.commit()


def _recorded_today(actor_id: int | None, municipality_id: int, reason: str) -> bool:
    midnight = clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return db.session.execute(db.select(AuditEvent.id).where(
        AuditEvent.action == "cross_tenant", AuditEvent.municipality_id == municipality_id,
        AuditEvent.actor_id == actor_id, AuditEvent.detail == reason, AuditEvent.at >= midnight).limit(1)).first() is not None


def events_for_institution(institution_id: int, page: int, per_page: int = 50):
    stmt = db.select(AuditEvent).where(AuditEvent.institution_id == institution_id).order_by(AuditEvent.id.desc())
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def events_for_municipality(municipality_id: int, page: int, per_page: int = 50):
    inst_ids = list(institution_ids_of([municipality_id]))
    stmt = (db.select(AuditEvent)
            .where((AuditEvent.municipality_id == municipality_id) | AuditEvent.institution_id.in_(inst_ids))
            .order_by(AuditEvent.id.desc()))
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)
