"""PostgreSQL row-level security, the second lock: raw SQL in one tenant's context cannot read or write
another's rows; the app's role owns nothing and bypasses nothing; no context means no rows."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from portal.extensions import db
from tenants.context import institution_scope
from tenants.models import TenantOwned
from tests.conftest import ON_POSTGRES
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
