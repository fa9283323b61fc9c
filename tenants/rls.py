"""PostgreSQL row-level security: the second lock behind the ORM filter.

The app connects as a role that owns no table and cannot bypass RLS. At the start of every transaction
(and whenever the scope changes inside one) `set_config(..., true)` writes the scope into transaction-local
settings that the policies read; with no setting, a policy matches nothing (fail closed).
"""
from __future__ import annotations

from flask import has_app_context
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from portal.extensions import db
from tenants.context import peek_scope

SETTINGS = ("app.institution_ids", "app.municipality_ids", "app.everything")

TENANT_POLICY = """
CREATE POLICY tenant_isolation ON {table}
USING (current_setting('app.everything', true) = 'on'
       OR institution_id = ANY (string_to_array(NULLIF(current_setting('app.institution_ids', true), ''), ',')::int[]))
WITH CHECK (current_setting('app.everything', true) = 'on'
       OR institution_id = ANY (string_to_array(NULLIF(current_setting('app.institution_ids', true), ''), ',')::int[]))
"""

CITY_POLICY = """
CREATE POLICY city_isolation ON {table}
USING (current_setting('app.everything', true) = 'on'
       OR municipality_id = ANY (string_to_array(NULLIF(current_setting('app.municipality_ids', true), ''), ',')::int[]))
WITH CHECK (current_setting('app.everything', true) = 'on'
       OR municipality_id = ANY (string_to_array(NULLIF(current_setting('app.municipality_ids', true), ''), ',')::int[]))
"""


def _values() -> dict[str, str]:
    scope = peek_scope()
    if scope is None:
        return {"i": "", "m": "", "e": "off"}
    return {
        "i": ",".join(str(i) for i in sorted(scope.institution_ids)),
        "m": ",".join(str(i) for i in sorted(scope.municipality_ids)),
        "e": "on" if scope.everything else "off",
    }


def apply(connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    connection.execute(
        text("SELECT set_config('app.institution_ids', :i, true), set_config('app.municipality_ids', :m, true),"
             " set_config('app.everything', :e, true)"),
        _values(),
    )


def _after_begin(session, transaction, connection) -> None:
    apply(connection)


def init_app(database) -> None:
    """Called by tenants.scoping.init_app: write the scope at the start of every transaction. Idempotent."""
    if not event.contains(Session, "after_begin", _after_begin):
        event.listen(Session, "after_begin", _after_begin)


def refresh_current_transaction() -> None:
    if not has_app_context():
        return
    from sqlalchemy.exc import PendingRollbackError

    session = db.session()
    transaction = session.get_transaction()
    if transaction is None or not transaction.is_active:
        return
    try:
        apply(session.connection())
    except PendingRollbackError:
        # A transaction broken by a lost connection is only good for a rollback: nothing to refresh in it, and the
        # error that broke it is the one to report (a task retries it).
        return


def transaction_aborted(session) -> bool:
    """Is the session's PostgreSQL transaction in the failed state (every statement refused until rollback)?"""
    if not session.in_transaction():
        return False
    try:
        connection = session.connection()
    except Exception:
        return True
    if connection.dialect.name != "postgresql":
        return False
    from psycopg import pq

    return connection.connection.dbapi_connection.info.transaction_status == pq.TransactionStatus.INERROR


def rollback_if_aborted(session, *, force: bool = False) -> None:
    if force or transaction_aborted(session):
        session.rollback()


# --- used by migrations -------------------------------------------------------------------------------

def _enable(op, table: str, policy: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has no RLS: the ORM filter is the only lock there
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(policy.format(table=table))


def enable_tenant_rls(op, table: str) -> None:
    """Call from a migration for every TenantOwned table."""
    _enable(op, table, TENANT_POLICY)


def enable_city_rls(op, table: str) -> None:
    """Call from a migration for every CityOwned table."""
    _enable(op, table, CITY_POLICY)


def grant_app_role(connection, role: str) -> None:
    """Create the application's login role if missing and give it DML only: it owns nothing, bypasses nothing."""
    if connection.dialect.name != "postgresql" or not role:
        return
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar()
    quoted = '"' + role.replace('"', '""') + '"'
    if not exists:
        connection.execute(text(f"CREATE ROLE {quoted} LOGIN NOSUPERUSER NOBYPASSRLS"))
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {quoted}"))
    connection.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}"))
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}"))
