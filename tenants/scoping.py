"""THE scoping mechanism: one `do_orm_execute` hook filters SELECT, UPDATE and DELETE on tenant-owned models,
and one `before_flush` hook stamps and checks the tenant of every new or changed row.

Raw SQL and Core statements on an engine bypass this layer; on PostgreSQL, row-level security (tenants.rls)
is the second lock behind it. `init_app(db)` installs both, once, at app creation: nothing happens at import.
"""
from __future__ import annotations

import weakref

from flask import has_app_context
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Alias, Integer, Join, Select, Table, any_, bindparam, event
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

from portal.extensions import db
from tenants import rls
from tenants.context import Scope, TenantViolation, current_scope, on_scope_change
from tenants.models import CityOwned, TenantOwned


_MIXIN_TABLES: dict[type, frozenset] = {}


def _mixin_tables(mixin: type) -> frozenset:
    """The tables of every model with the mixin; mappers are configured once, so this is computed once."""
    if mixin not in _MIXIN_TABLES:
        _MIXIN_TABLES[mixin] = frozenset(m.local_table for m in db.Model.registry.mappers if issubclass(m.class_, mixin))
    return _MIXIN_TABLES[mixin]


# Statements are immutable, so what one touches and whether it passed the check below never change: a statement
# executed again — an aggregation chunk's one big statement, cached and run once per chunk — is walked once, not
# at every execution (the walk of a dozen subqueries costs more than running their scoped plan's Python side).
_TOUCHED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CHECKED: weakref.WeakSet = weakref.WeakSet()


def _touched(state: ORMExecuteState) -> tuple[bool, bool]:
    """Does the statement touch tenant tables, city tables? Top-level entities first; a table hidden in a subquery
    (Query.count(), paginate()'s total, select_from(stmt.subquery()), IN (SELECT …)) has no top-level mapper, so
    the statement is walked once when the mappers do not settle both questions."""
    try:
        return _TOUCHED[state.statement]
    except (KeyError, TypeError):
        pass
    mappers = state.all_mappers
    tenant = any(issubclass(m.class_, TenantOwned) for m in mappers)
    city = any(issubclass(m.class_, CityOwned) for m in mappers)
    if not (tenant and city):
        tables = {e for e in visitors.iterate(state.statement) if isinstance(e, Table)}
        tenant = tenant or not tables.isdisjoint(_mixin_tables(TenantOwned))
        city = city or not tables.isdisjoint(_mixin_tables(CityOwned))
    try:
        _TOUCHED[state.statement] = (tenant, city)
    except TypeError:
        pass   # not weakly referable: walked again next time
    return tenant, city


def _from_tables(from_) -> set:
    if isinstance(from_, Table):
        return {from_}
    if isinstance(from_, Join):
        return _from_tables(from_.left) | _from_tables(from_.right)
    if isinstance(from_, Alias) and isinstance(from_.element, Table):
        return {from_.element}
    return set()   # a subquery: its own SELECT is checked on its own


def _refuse_core_selects(statement) -> None:
    """with_loader_criteria reaches only SELECTs the ORM compiles. A SELECT whose columns lost their entity — the only
    column `count(Model.id).filter(…)` (a FunctionFilter keeps no ORM annotation), or plain `table.c` columns — is
    compiled as Core and would read every tenant's rows; it fails closed instead (write `.select_from(Model)`)."""
    try:
        if statement in _CHECKED:
            return
    except TypeError:
        pass
    guarded = _mixin_tables(TenantOwned) | _mixin_tables(CityOwned)
    for element in visitors.iterate(statement):
        if isinstance(element, Select) and element._propagate_attrs.get("compile_state_plugin") != "orm":
            tables = set().union(*(_from_tables(f) for f in element.get_final_froms()))
            if not tables.isdisjoint(guarded):
                names = ", ".join(sorted(t.name for t in tables & guarded))
                raise TenantViolation(f"a SELECT over {names} that the ORM cannot scope: add .select_from(<Model>)")
    try:
        _CHECKED.add(statement)   # only a statement that passed: a refused one is refused again
    except TypeError:
        pass


def _ids(ids: frozenset[int], postgres: bool, name: str):
    """ONE array parameter on PostgreSQL, a plain list (expanded to `IN (…)`) elsewhere. A city's scope has hundreds
    of institutions: expanded, every statement would carry hundreds of bound parameters (and a new SQL text, never
    cached by the driver, for every size of scope); an empty set matches nothing either way (fail closed)."""
    return bindparam(name, sorted(ids), type_=ARRAY(Integer)) if postgres else sorted(ids)


def _member(column, ids):
    return column == any_(ids) if isinstance(ids, BindParameter) else column.in_(ids)


def _criteria_options(scope: Scope, tenant: bool, city: bool, postgres: bool) -> list:
    # The lambdas close over local variables so that the ids become bound parameters: the statement cache
    # keeps one compiled form, and values never leak from one tenant to the next.
    options = []
    if tenant:
        inst_ids = _ids(scope.institution_ids, postgres, "scope_institution_ids")
        options.append(with_loader_criteria(
            TenantOwned, lambda cls: _member(cls.institution_id, inst_ids), include_aliases=True))
    if city:
        muni_ids = _ids(scope.municipality_ids, postgres, "scope_municipality_ids")
        options.append(with_loader_criteria(
            CityOwned, lambda cls: _member(cls.municipality_id, muni_ids), include_aliases=True))
    return options


def _scope_statement(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load:
        return  # refreshing attributes of a row already loaded under a scope
    tenant, city = _touched(state)
    if not (tenant or city):
        return
    scope = current_scope()  # raises NoTenantContext: fail closed
    if scope.everything or state.is_relationship_load:
        # Relationship loads inherit the criteria of the statement that loaded their parent.
        return
    _refuse_core_selects(state.statement)
    postgres = state.session.get_bind().dialect.name == "postgresql"
    state.statement = state.statement.options(*_criteria_options(scope, tenant, city, postgres))


def _stamp_tenant(session: Session, flush_context, instances) -> None:
    rows = [o for o in list(session.new) + list(session.dirty) if isinstance(o, (TenantOwned, CityOwned))]
    if not rows:
        return
    scope = current_scope()
    if scope.read_only:
        raise TenantViolation("a write under a read-only scope (public pages, the region's account)")
    for row in rows:
        if isinstance(row, TenantOwned):
            if row.institution_id is None and scope.single_institution is not None:
                # Assigned server-side, never taken from the request.
                row.institution_id = scope.single_institution
            if not scope.everything and row.institution_id not in scope.institution_ids:
                raise TenantViolation(f"{type(row).__name__} outside the current institution scope")
        if isinstance(row, CityOwned):
            if row.municipality_id is None and len(scope.municipality_ids) == 1:
                row.municipality_id = next(iter(scope.municipality_ids))
            if not scope.everything and row.municipality_id not in scope.municipality_ids:
                raise TenantViolation(f"{type(row).__name__} outside the current municipality scope")


def evict_out_of_scope(session: Session, scope: Scope | None) -> None:
    """Drop rows the new scope may not see from the identity map.

    `session.get()` answers from the identity map without a SELECT, so no criteria would apply to a row
    loaded under an earlier scope; evicting it makes the next lookup go to the database, filtered.
    """
    if scope is not None and scope.everything:
        return
    for obj in list(session.identity_map.values()):
        if isinstance(obj, TenantOwned):
            visible = scope is not None and obj.institution_id in scope.institution_ids
        elif isinstance(obj, CityOwned):
            visible = scope is not None and obj.municipality_id in scope.municipality_ids
        else:
            continue
        if not visible and obj in session:
            session.expunge(obj)


def _refresh_open_transaction(scope: Scope | None) -> None:
    # Rows of the old scope leave the identity map so that the new scope cannot be answered from it. (The RLS
    # setting follows by itself: tenants.rls writes it before the next statement that runs under the new scope.)
    if not has_app_context():
        return
    evict_out_of_scope(db.session(), scope)


def init_app(database: SQLAlchemy) -> None:
    """Install the query hooks on every session (tests swap the session for one joined to their transaction, so
    the hooks sit on the Session class, not on one sessionmaker), and RLS behind them. Idempotent."""
    assert database is db, "tenants scope the one SQLAlchemy of portal.extensions"
    for name, hook in (("do_orm_execute", _scope_statement), ("before_flush", _stamp_tenant)):
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
    rls.init_app(database)
    on_scope_change(_refresh_open_transaction)
