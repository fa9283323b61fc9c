"""The tenant context of the current request or task, kept in a contextvar (never a thread-local).

A `Scope` names the institutions and municipalities whose rows are visible. A request under `/i/<slug>/`
gets the scope of one institution; city pages (`/m/<slug>/`) get the city's institutions, and the entry is
audited once per user, city and day (tenants.routing); background jobs that read a whole city enter
`across_institutions(...)`, which writes an audit record every time; CLI commands and beat enumerators use
`platform_scope(reason)`.

This is the bottom floor: it calls up into the app only through two hooks the app installs at start —
`on_scope_change` (tenants.scoping and tenants.rls refresh the open transaction) and `set_audit_hook`
(portal.audit writes the record).
"""
from __future__ import annotations

import contextvars
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from sqlalchemy import Integer, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY

from portal.extensions import db
from tenants.models import Institution
from tenants.queries import institution_ids_of, municipality_ids_of_region


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
    read_only: bool = False   # public pages, the region's account: nothing tenant-owned may be written under it
    region_id: int | None = None   # the region whose pages these are (region_scope)

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


# --- hooks the app installs -------------------------------------------------------------------------------------

_scope_listeners: list[Callable[[Scope | None], None]] = []


def on_scope_change(listener: Callable[[Scope | None], None]) -> None:
    """Call `listener(new_scope)` whenever the scope changes (tenants.scoping installs its listeners)."""
    if listener not in _scope_listeners:
        _scope_listeners.append(listener)


AuditHook = Callable[..., None]


def _no_audit_hook(**crossing) -> None:
    raise RuntimeError("crossing tenants needs an audit hook: create_app installs portal.audit's")


_audit: list[AuditHook] = [_no_audit_hook]


def set_audit_hook(hook: AuditHook) -> None:
    """`hook(actor_id=…, municipality_ids=…, reason=…, once_a_day=…)` records a crossing of tenants."""
    _audit[0] = hook


def record_crossing(*, actor_id: int | None, municipality_ids, reason: str, once_a_day: bool = False) -> None:
    _audit[0](actor_id=actor_id, municipality_ids=frozenset(municipality_ids), reason=reason, once_a_day=once_a_day)


# --- entering and leaving a scope -------------------------------------------------------------------------------

def set_scope(scope: Scope | None) -> contextvars.Token:
    token = _scope.set(scope)
    _changed()
    return token


def reset_scope(token: contextvars.Token) -> None:
    _scope.reset(token)
    _changed()


def _changed() -> None:
    scope = _scope.get()
    for listener in _scope_listeners:
        listener(scope)


@contextmanager
def _entered(scope: Scope):
    token = set_scope(scope)
    try:
        yield scope
    finally:
        reset_scope(token)


def institution_scope(institution_id: int):
    """Everything inside sees one institution's rows (and its municipality's city rows)."""
    municipality_id = db.session.execute(
        db.select(Institution.municipality_id).where(Institution.id == institution_id)
    ).scalar_one()
    return _entered(Scope(frozenset({institution_id}), frozenset({municipality_id})))


def city_scope(municipality_id: int, reason: str = "city area") -> Scope:
    """The scope of a city's pages: every institution of the city and the city's own rows (entered by
    tenants.routing, which also records the crossing)."""
    return Scope(institution_ids_of([municipality_id]), frozenset({municipality_id}), reason=reason)


def region_scope(region_id: int, reason: str = "region area") -> Scope:
    """The scope of a region's pages: every institution of every city of the region, read-only (the regional
    institute's account reads; it never writes). Entered by tenants.routing, which records the crossing."""
    cities = municipality_ids_of_region(region_id)
    return Scope(institution_ids_of(cities), cities, reason=reason, read_only=True, region_id=region_id)


def read_only(scope: Scope) -> Scope:
    """The same tenants, nothing writable (a city page opened by the region's account)."""
    return replace(scope, read_only=True)


def institutions_scope(institution_ids: list[int] | frozenset[int]):
    """A chunk of institutions for a background job (and their municipalities' city rows); not audited: a job
    computes, it shows nobody anything."""
    ids = sorted(institution_ids)
    if db.session.get_bind().dialect.name == "postgresql":
        # One array parameter: a chunk of 400 expanded to `IN (…)` was 400 bound parameters to render and parse.
        chosen = Institution.id == any_(bindparam("ids", ids, type_=ARRAY(Integer)))
    else:
        chosen = Institution.id.in_(ids)
    # An institution deleted since the fan-out drops out.
    rows = db.session.execute(db.select(Institution.id, Institution.municipality_id).where(chosen)).all()
    return _entered(Scope(frozenset(r.id for r in rows), frozenset(r.municipality_id for r in rows),
                          reason="background job"))


def across_institutions(*, municipality_ids: set[int] | frozenset[int], reason: str, actor_id: int | None = None,
                        region_id: int | None = None):
    """Loud, audited way across institutions: every institution of the given municipalities."""
    ids = institution_ids_of(municipality_ids)
    record_crossing(actor_id=actor_id, municipality_ids=municipality_ids, reason=reason)
    return _entered(Scope(ids, frozenset(municipality_ids), reason=reason, region_id=region_id))


def public_scope(municipality_id: int):
    """The public pages of a city and its institutions: read-only, not audited (they show only what is published
    and consented — the services that feed them choose that; this scope only bounds the tenant)."""
    ids = institution_ids_of([municipality_id])
    return _entered(Scope(ids, frozenset({municipality_id}), reason="public pages", read_only=True))


def platform_scope(reason: str):
    """Every row of every tenant: CLI commands, migrations of data, beat enumerators. Not for requests."""
    return _entered(Scope(everything=True, reason=reason))
