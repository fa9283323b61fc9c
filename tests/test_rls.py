"""PostgreSQL row-level security, the second lock: raw SQL in one tenant's context cannot read or write
another's rows; the app's role owns nothing and bypasses nothing; no context means no rows."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from portal.extensions import db
from tenants.context import institution_scope
from tenants.models import TenantOwned
from tests.conftest import ON_POSTGRES, _owner_engine
from tests.factories import make_institution, make_staff

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL)")]


def tenant_tables() -> list[str]:
    return sorted({m.class_.__table__.name for m in db.Model.registry.mappers
                   if isinstance(m.class_, type) and issubclass(m.class_, TenantOwned)})


def test_app_role_is_not_superuser_owner_or_bypass(app):
    row = db.session.execute(text(
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
    assert row == (False, False)
    owned = db.session.execute(text(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")).scalar()
    assert owned == 0


def test_every_tenant_table_has_forced_rls_and_a_policy(app):
    for table in tenant_tables():
        enabled, forced = db.session.execute(text(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = :t"), {"t": table}).one()
        policies = db.session.execute(text("SELECT count(*) FROM pg_policies WHERE tablename = :t"), {"t": table}).scalar()
        assert enabled and forced and policies >= 1, table


def test_raw_sql_in_one_tenant_cannot_read_another(app):
    a, b = make_institution(), make_institution()
    make_staff(a)
    theirs = make_staff(b)
    db.session.remove()
    with institution_scope(a.id):
        rows = db.session.execute(text("SELECT id, institution_id FROM staff")).all()
        assert rows and all(r.institution_id == a.id for r in rows)
        assert db.session.execute(text("SELECT count(*) FROM staff WHERE id = :i"), {"i": theirs.id}).scalar() == 0


def test_raw_sql_in_one_tenant_cannot_write_another(app):
    a, b = make_institution(), make_institution()
    theirs = make_staff(b, last_name="Нетронутова")
    db.session.remove()
    with institution_scope(a.id):
        updated = db.session.execute(text("UPDATE staff SET last_name = 'Взломова' WHERE id = :i"), {"i": theirs.id})
        deleted = db.session.execute(text("DELETE FROM staff WHERE id = :i"), {"i": theirs.id})
        assert updated.rowcount == 0 and deleted.rowcount == 0
        with pytest.raises(Exception, match="row-level security"):
            db.session.execute(text(
                "INSERT INTO staff (institution_id, last_name, first_name, middle_name, position, category, work_email)"
                " VALUES (:b, 'Чужая', 'Анна', '', 'vospitatel', 'none', '')"), {"b": b.id})
        db.session.rollback()


def test_no_context_sees_no_rows(app):
    make_staff(make_institution())
    db.session.remove()
    assert db.session.execute(text("SELECT count(*) FROM staff")).scalar() == 0
    with institution_scope(make_institution().id):
        db.session.execute(text("SELECT 1"))
        db.session.commit()
    # After a committed transaction on the same pooled connection, the setting is gone again.
    assert db.session.execute(text("SELECT count(*) FROM staff")).scalar() == 0


def test_plain_set_config_by_the_app_role_no_longer_widens_what_it_sees(app):
    """An SQL injection running as portal_app could set any setting; the policies only believe a scope signed
    with the key the app role cannot read."""
    a, b = make_institution(), make_institution()
    make_staff(a)
    make_staff(b)
    db.session.remove()
    with institution_scope(a.id):
        assert db.session.execute(text("SELECT count(*) FROM staff")).scalar() == 1
        for forged in ("SELECT set_config('app.everything', 'on', true)",
                       f"SELECT set_config('app.institution_ids', '{a.id},{b.id}', true)",
                       f"SELECT set_config('app.scope', '{a.id},{b.id}||1|' || repeat('0', 64), true)"):
            db.session.execute(text(forged))
            seen = db.session.execute(text("SELECT DISTINCT institution_id FROM staff")).scalars().all()
            assert b.id not in seen, forged
        db.session.rollback()


def test_replaying_the_current_signed_scope_elsewhere_widens_nothing(app):
    a, b = make_institution(), make_institution()
    make_staff(b)
    db.session.remove()
    with institution_scope(a.id):
        current = db.session.execute(text("SELECT current_setting('app.scope', true)")).scalar()
        db.session.execute(text("SELECT set_config('app.scope', :v, false)"), {"v": current})  # session-wide
        assert db.session.execute(text("SELECT count(*) FROM staff WHERE institution_id = :b"), {"b": b.id}).scalar() == 0
        db.session.rollback()


def test_the_app_role_cannot_read_the_scope_key(app):
    with pytest.raises(Exception, match="permission denied"):
        db.session.execute(text("SELECT * FROM portal_private.scope_key")).all()
    db.session.rollback()
    with pytest.raises(Exception, match="permission denied"):
        db.session.execute(text("SELECT portal_private.verified_scope()")).all()
    db.session.rollback()


@pytest.mark.commits  # real transactions: the count is per transaction, not per savepoint of the test's one
def test_scope_is_written_once_per_transaction_in_one_round_trip(app):
    from sqlalchemy import event

    inst = make_institution()
    make_staff(inst)
    db.session.remove()
    from tenants import rls

    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    before = rls.scope_writes
    try:
        with institution_scope(inst.id):
            for _ in range(3):
                db.session.execute(text("SELECT count(*) FROM staff")).scalar()
            scope_value = db.session.execute(text("SELECT current_setting('app.scope', true)")).scalar()
        written_in_one_transaction = rls.scope_writes - before
        db.session.commit()
        with institution_scope(inst.id):
            db.session.execute(text("SELECT count(*) FROM staff")).scalar()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert scope_value.startswith(f"{inst.id}|") and len(scope_value.rsplit("|", 1)[1]) == 64
    assert len(statements) >= 5 and written_in_one_transaction == 1
    assert rls.scope_writes - before == 2   # the next transaction writes it once again, and only once


def test_every_city_table_has_forced_rls_and_a_policy(app):
    from tenants.models import CityOwned

    tables = sorted({m.class_.__table__.name for m in db.Model.registry.mappers
                     if isinstance(m.class_, type) and issubclass(m.class_, CityOwned)})
    assert tables
    for table in tables:
        enabled, forced = db.session.execute(text(
            "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = :t"), {"t": table}).one()
        policy = db.session.execute(text("SELECT qual FROM pg_policies WHERE tablename = :t"), {"t": table}).scalar()
        assert enabled and forced and "portal_scope_" in policy, table


def test_a_connection_lost_while_writing_the_scope_is_sqlalchemys_error_and_is_dropped(app):
    """The scope is written from inside SQLAlchemy's before_cursor_execute, where the driver's own error would escape
    unwrapped: not the OperationalError a task retries and a page answers with 503 (CI: a chunk failed for good)."""
    inst = make_institution()
    with db.engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        conn.commit()
        owner = _owner_engine()
        with owner.begin() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        owner.dispose()
        with institution_scope(inst.id), pytest.raises(OperationalError) as lost:
            conn.execute(text("SELECT count(*) FROM staff"))     # the scope is written first, on the dead socket
        assert lost.value.connection_invalidated and conn.invalidated
        assert "app.scope" in str(lost.value) and "[parameters" not in str(lost.value)   # the signed scope not shown
