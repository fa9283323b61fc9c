"""The tenant context of the current request or task, kept in a contextvar (never a thread-local).

A `Scope` names the institutions and municipalities whose rows are visible. A request under `/i/<slug>/`
gets the scope of one institution; the city and regional areas enter `across_institutions(...)`, which
writes an audit record; CLI commands and beat enumerators use `platform_scope(reason)`.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field


class NoTenantContext(RuntimeError):
    """A tenant-owned model was queried with no tenant context: fail closed instead of returning everything."""


class TenantViolation(RuntimeError):
    """A write tried to put a row into an institution outside the current scope."""


@dataclass(frozen=True)
class Scope:
    institution_ids: frozenset[int] = field(default_factory=frozenset)
    municipality_ids: frozenset[int] = field(default_factory=frozenset)
    everything: bool = False
    reason: str = ""
    read_only: bool = False   # the public pages: nothing tenant-owned may be written under this scope

    @property
    def single_institution(self) -> int | None:
        return next(iter(self.institution_ids)) if len(self.institution_ids) == 1 and not self.everything else None


_scope: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("tenant_scope", default=None)


def current_scope() -> Scope:
    scope = _scope.get()
    if scope is None:
        raise NoTenantContext("no tenant context: enter institution_scope() or across_institutions() first")
    return scope


def peek_scope() -> Scope | None:
    return _scope.get()


def set_scope(scope: Scope | None) -> contextvars.Token:
    token = _scope.set(scope)
    _apply_to_open_transaction()
    return token


def reset_scope(token: contextvars.Token) -> None:
    _scope.reset(token)
    _apply_to_open_transaction()


def _apply_to_open_transaction() -> None:
    # The RLS settings are per transaction; if one is already open, refresh them now. Rows of the old scope
    # leave the identity map so that the new scope cannot be answered from it.
    from flask import has_app_context

    if not has_app_context():
        return
    from portal.extensions import db
    from tenants import rls
    from tenants.scoping import evict_out_of_scope

    evict_out_of_scope(db.session(), _scope.get())
    rls.refresh_current_transaction()


@contextmanager
def _entered(scope: Scope):
    token = set_scope(scope)
    try:
        yield scope
    finally:
        reset_scope(token)


def institution_scope(institution_id: int):
    """Everything inside sees one institution's rows (and its municipality's city rows)."""
    from portal.extensions import db
    from tenants.models import Institution

    municipality_id = db.session.execute(
        db.select(Institution.municipality_id).where(Institution.id == institution_id)
    ).scalar_one()
    return _entered(Scope(frozenset({institution_id}), frozenset({municipality_id})))


def institutions_scope(institution_ids: list[int] | frozenset[int]):
    """A chunk of institutions for a background job (and their municipalities' city rows); not audited: a job
    computes, it shows nobody anything."""
    from portal.extensions import db
    from tenants.models import Institution

    rows = db.session.execute(db.select(Institution.id, Institution.municipality_id).where(
        Institution.id.in_(list(institution_ids)))).all()  # an institution deleted since the fan-out drops out
    return _entered(Scope(frozenset(r.id for r in rows), frozenset(r.municipality_id for r in rows),
                          reason="background job"))


def across_institutions(*, municipality_ids: set[int] | frozenset[int], reason: str, actor_id: int | None = None):
    """Loud, audited way across institutions: every institution of the given municipalities."""
    from portal.extensions import db
    from tenants.models import Institution

    ids = frozenset(
        db.session.execute(db.select(Institution.id).where(Institution.municipality_id.in_(list(municipality_ids)))).scalars()
    )
    from portal.audit.services import record_cross_tenant

    record_cross_tenant(actor_id=actor_id, municipality_ids=municipality_ids, reason=reason)
    return _entered(Scope(ids, frozenset(municipality_ids), reason=reason))


def public_scope(municipality_id: int):
    """The public pages of a city and its institutions: read-only, not audited (they show only what is published
    and consented — the services that feed them choose that; this scope only bounds the tenant)."""
    from portal.extensions import db
    from tenants.models import Institution

    ids = frozenset(db.session.execute(db.select(Institution.id).where(
        Institution.municipality_id == municipality_id)).scalars())
    return _entered(Scope(ids, frozenset({municipality_id}), reason="public pages", read_only=True))


def platform_scope(reason: str):
    """Every row of every tenant: CLI commands, migrations of data, beat enumerators. Not for requests."""
    return _entered(Scope(everything=True, reason=reason))
