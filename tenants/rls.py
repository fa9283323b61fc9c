"""PostgreSQL row-level security: the second lock behind the ORM filter, and one the app role cannot pick.

The app connects as a role that owns no table and cannot bypass RLS. The policies do not read a plain setting
(which that role, or an SQL injection running as it, could set to anything): they read `app.scope` through
SECURITY DEFINER functions that accept it only if it carries an HMAC-SHA256 of the scope made with a key the
app role can never read. The key is derived from SECRET_KEY, so it lives in the app's environment; the
database keeps only its HMAC pads, in the schema `portal_private` that the app role has no access to (written
by `flask db upgrade`, which runs as the owner). A `set_config('app.scope', …)` by the app role with anything
but a value the app itself signed makes the policies see *nothing*; replaying the current value widens nothing.

The scope is written lazily: just before the first statement of a transaction that runs under a scope (and
again only if the scope changes inside it), as one `set_config(…, true)` round trip on the same connection.
Transaction-local, so it is gone at commit or rollback; with no scope nothing is written and policies match
nothing (fail closed).
"""
from __future__ import annotations

import hashlib
import hmac
import logging
from functools import lru_cache

from flask import current_app, has_app_context
import psycopg
from psycopg import pq
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from portal.extensions import db
from tenants.context import Scope, peek_scope

log = logging.getLogger(__name__)

SETTING = "app.scope"
scope_writes = 0      # round trips spent writing the scope, in this process (tests and bench/ read it)
_UNKNOWN = object()
_TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "COMMIT", "BEGIN")   # what a rolled-back savepoint left in the setting: rewrite before the next statement

# Policies read the verified scope; `(SELECT f())` makes each an InitPlan, evaluated once per statement.
_VISIBLE_INSTITUTION = ("(SELECT portal_scope_everything()) "
                        "OR institution_id = ANY ((SELECT portal_scope_institutions())::int[])")
_VISIBLE_MUNICIPALITY = ("(SELECT portal_scope_everything()) "
                         "OR municipality_id = ANY ((SELECT portal_scope_municipalities())::int[])")
TENANT_POLICY = f"CREATE POLICY tenant_isolation ON {{table}} USING ({_VISIBLE_INSTITUTION}) WITH CHECK ({_VISIBLE_INSTITUTION})"
CITY_POLICY = f"CREATE POLICY city_isolation ON {{table}} USING ({_VISIBLE_MUNICIPALITY}) WITH CHECK ({_VISIBLE_MUNICIPALITY})"

# The policies of migrations 0001–0012 (plain settings), kept so that those revisions and the downgrade of
# 0013_signed_rls_scope build exactly what they built.
LEGACY_TENANT_POLICY = """
CREATE POLICY tenant_isolation ON {table}
USING (current_setting('app.everything', true) = 'on'
       OR institution_id = ANY (string_to_array(NULLIF(current_setting('app.institution_ids', true), ''), ',')::int[]))
WITH CHECK (current_setting('app.everything', true) = 'on'
       OR institution_id = ANY (string_to_array(NULLIF(current_setting('app.institution_ids', true), ''), ',')::int[]))
"""
LEGACY_CITY_POLICY = """
CREATE POLICY city_isolation ON {table}
USING (current_setting('app.everything', true) = 'on'
       OR municipality_id = ANY (string_to_array(NULLIF(current_setting('app.municipality_ids', true), ''), ',')::int[]))
WITH CHECK (current_setting('app.everything', true) = 'on'
       OR municipality_id = ANY (string_to_array(NULLIF(current_setting('app.municipality_ids', true), ''), ',')::int[]))
"""


# --- signing ----------------------------------------------------------------------------------------------------

def derive_key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), b"nastavnik: row-level security scope, v1", hashlib.sha256).digest()


def payload(scope: Scope) -> str:
    return "|".join((",".join(str(i) for i in sorted(scope.institution_ids)),
                     ",".join(str(i) for i in sorted(scope.municipality_ids)), "1" if scope.everything else "0"))


@lru_cache(maxsize=4096)
def _signed(key: bytes, text_: str) -> str:
    return text_ + "|" + hmac.new(key, text_.encode(), hashlib.sha256).hexdigest()


def signed_scope(scope: Scope, key: bytes) -> str:
    return _signed(key, payload(scope))


def _current_key() -> bytes | None:
    if not has_app_context():
        return None
    key = current_app.extensions.get("rls_key")
    if key is None:
        key = current_app.extensions["rls_key"] = derive_key(current_app.config["SECRET_KEY"])
    return key


def _wanted() -> str:
    scope = peek_scope()
    if scope is None:
        return ""
    key = _current_key()
    return signed_scope(scope, key) if key is not None else ""  # no key, no scope: fail closed


# --- writing the scope, lazily, once per transaction ------------------------------------------------------------

_SET_SCOPE = "SELECT set_config('app.scope', %s, true)"


def _as_sqlalchemy_error(conn, fairy, exc: psycopg.Error) -> BaseException:
    """The driver's error as SQLAlchemy raises it for a statement of its own. Raised inside before_cursor_execute it
    would otherwise reach the caller unwrapped — not the OperationalError a task retries and the error mapping
    answers with 503 (a chunk failed for good when the database dropped the connection right here) — and a
    connection the server closed would go back to the pool."""
    lost = conn.dialect.is_disconnect(exc, fairy.dbapi_connection, None)
    if lost:
        conn.invalidate(exc)
    return DBAPIError.instance(_SET_SCOPE, None, exc, psycopg.Error, hide_parameters=True,
                               connection_invalidated=lost, dialect=conn.dialect)


def _write_scope(conn, cursor, statement, parameters, context, executemany) -> None:
    if conn.dialect.name != "postgresql":
        return

    fairy = conn.connection
    status = fairy.dbapi_connection.info.transaction_status
    if status == pq.TransactionStatus.IDLE:
        fairy.info["rls_scope"] = None  # this statement starts a transaction: nothing is written in it yet
    if status == pq.TransactionStatus.INERROR or statement.startswith(_TRANSACTION_CONTROL):
        # An aborted transaction refuses everything until rolled back; a SAVEPOINT needs no scope, and a
        # ROLLBACK TO SAVEPOINT would undo what was just written.
        return
    written = fairy.info.get("rls_scope")
    wanted = _wanted()
    if written == wanted or (written is None and not wanted):
        return
    try:
        with fairy.dbapi_connection.cursor() as own:
            own.execute(_SET_SCOPE, (wanted,))
    except psycopg.Error as exc:
        raise _as_sqlalchemy_error(conn, fairy, exc) from exc
    fairy.info["rls_scope"] = wanted
    global scope_writes
    scope_writes += 1


def _savepoint_undone(conn, name, context) -> None:
    # ROLLBACK TO SAVEPOINT also undoes a set_config made after it: what the setting holds is unknown now.
    conn.connection.info["rls_scope"] = _UNKNOWN


def apply(connection) -> None:
    """Make the next statement on this connection write the current scope again (whatever was written before)."""
    if connection.dialect.name == "postgresql" and not connection.closed:
        connection.connection.info["rls_scope"] = _UNKNOWN


def init_app(database) -> None:
    """Called by tenants.scoping.init_app: write the scope before the statements of every transaction (on every
    engine, so the tests' own connections too). Idempotent; nothing happens at import."""
    for name, hook in (("before_cursor_execute", _write_scope), ("rollback_savepoint", _savepoint_undone)):
        if not event.contains(Engine, name, hook):
            event.listen(Engine, name, hook)


def check_key(app) -> None:
    """Check once per process that the database holds this app's key: a mismatch would hide every row."""
    app.extensions["rls_key"] = derive_key(app.config["SECRET_KEY"])

    def _check_key(dbapi_connection, record) -> None:
        if type(dbapi_connection).__module__.split(".")[0] != "psycopg":
            return
        probe = _signed(app.extensions["rls_key"], "-1||0")
        try:
            with dbapi_connection.cursor() as cur:
                cur.execute("SELECT set_config('app.scope', %s, true), portal_scope_institutions()", (probe,))
                matches = cur.fetchone()[1] == [-1]
        except Exception:
            matches = None
        finally:
            dbapi_connection.rollback()
        if matches is None:
            log.error("row-level security functions are missing: run `flask --app wsgi db upgrade` as the owner")
        elif not matches:
            log.error("the database holds another row-level security key than this SECRET_KEY's: every tenant row "
                      "is hidden. Run `flask --app wsgi db upgrade` (as the owner) after changing SECRET_KEY.")

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            event.listen(db.engine, "first_connect", _check_key)


# --- state of a session's transaction ---------------------------------------------------------------------------

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

    return connection.connection.dbapi_connection.info.transaction_status == pq.TransactionStatus.INERROR


def rollback_if_aborted(session, *, force: bool = False) -> None:
    if force or transaction_aborted(session):
        session.rollback()


# --- used by migrations and by `flask db upgrade` ---------------------------------------------------------------

def _signed_scope_installed(bind) -> bool:
    return bind.execute(text("SELECT to_regprocedure('public.portal_scope_institutions()') IS NOT NULL")).scalar()


def _enable(op, table: str, policy: str, legacy: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # SQLite has no RLS: the ORM filter is the only lock there
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute((policy if _signed_scope_installed(bind) else legacy).format(table=table))


def enable_tenant_rls(op, table: str) -> None:
    """Call from a migration for every TenantOwned table."""
    _enable(op, table, TENANT_POLICY, LEGACY_TENANT_POLICY)


def enable_city_rls(op, table: str) -> None:
    """Call from a migration for every CityOwned table."""
    _enable(op, table, CITY_POLICY, LEGACY_CITY_POLICY)


def install_key(connection, secret_key: str) -> None:
    """Store the HMAC pads of this SECRET_KEY's scope key (run as the owner, after the migrations)."""
    if connection.dialect.name != "postgresql":
        return
    if not connection.execute(text("SELECT to_regclass('portal_private.scope_key') IS NOT NULL")).scalar():
        return  # migrated below 0013_signed_rls_scope
    key = derive_key(secret_key).ljust(64, b"\0")
    inner, outer = bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)
    connection.execute(text(
        "INSERT INTO portal_private.scope_key (id, inner_pad, outer_pad) VALUES (1, :i, :o) "
        "ON CONFLICT (id) DO UPDATE SET inner_pad = EXCLUDED.inner_pad, outer_pad = EXCLUDED.outer_pad"),
        {"i": inner, "o": outer})


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
