"""The one scoping mechanism: SELECT, UPDATE and DELETE are filtered; no context fails closed; inserts are stamped."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.staff.models import Staff, StaffChange
from tenants import NoTenantContext, TenantViolation, across_institutions, institution_scope, platform_scope
from tests.factories import make_institution, make_municipality, make_staff


def test_query_on_tenant_model_without_context_raises(app):
    make_staff(make_institution())
    db.session.remove()
    with pytest.raises(NoTenantContext):
        db.session.execute(select(Staff)).all()


def test_select_sees_only_current_institution(app):
    a, b = make_institution(), make_institution()
    mine, theirs = make_staff(a), make_staff(b)
    db.session.remove()
    with institution_scope(a.id):
        ids = set(db.session.execute(select(Staff.id)).scalars())
        assert ids == {mine.id}
        assert db.session.get(Staff, theirs.id) is None
        other = aliased(Staff)
        assert db.session.execute(select(other).where(other.id == theirs.id)).first() is None


def test_update_and_delete_of_other_institution_touch_nothing(app):
    a, b = make_institution(), make_institution()
    theirs = make_staff(b, last_name="Нетронутова")
    db.session.remove()
    with institution_scope(a.id):
        r1 = db.session.execute(update(Staff).where(Staff.id == theirs.id).values(last_name="Взломова"))
        r2 = db.session.execute(delete(Staff).where(Staff.id == theirs.id))
        db.session.commit()
        assert r1.rowcount == 0 and r2.rowcount == 0
    db.session.remove()
    with platform_scope("check"):
        assert db.session.get(Staff, theirs.id).last_name == "Нетронутова"


def test_insert_is_stamped_with_current_institution(app):
    a = make_institution()
    with institution_scope(a.id):
        s = Staff(last_name="Новикова", first_name="Анна", position="vospitatel")
        db.session.add(s)
        db.session.commit()
        assert s.institution_id == a.id


def test_insert_into_other_institution_is_refused(app):
    a, b = make_institution(), make_institution()
    with institution_scope(a.id):
        db.session.add(Staff(institution_id=b.id, last_name="Чужая", first_name="Анна", position="vospitatel"))
        with pytest.raises(TenantViolation):
            db.session.flush()
        db.session.rollback()


def test_lazy_relationship_and_join_are_scoped(app):
    a, b = make_institution(), make_institution()
    theirs = make_staff(b)
    with platform_scope("setup"):
        db.session.add(StaffChange(institution_id=b.id, staff_id=theirs.id, at=theirs.created_at, field="x"))
        db.session.commit()
    db.session.remove()
    with institution_scope(a.id):
        rows = db.session.execute(select(StaffChange).join(Staff, Staff.id == StaffChange.staff_id)).all()
        assert rows == []


def test_across_institutions_covers_only_given_municipality_and_is_audited(app):
    from portal.audit.models import AuditEvent

    city, other = make_municipality(), make_municipality()
    a, b, c = make_institution(city), make_institution(city), make_institution(other)
    sa, sb, _sc = make_staff(a), make_staff(b), make_staff(c)
    db.session.remove()
    with across_institutions(municipality_ids={city.id}, reason="city dashboard"):
        ids = set(db.session.execute(select(Staff.id)).scalars())
        db.session.commit()
    assert ids == {sa.id, sb.id}
    events = db.session.execute(select(AuditEvent).where(AuditEvent.action == "cross_tenant")).scalars().all()
    assert [e.municipality_id for e in events] == [city.id]


def test_scope_does_not_leak_between_alternating_tenants(app):
    """Statement cache: alternating tenants on the same statement never returns the other's rows."""
    a, b = make_institution(), make_institution()
    sa, sb = make_staff(a), make_staff(b)
    db.session.remove()
    for _ in range(50):
        for inst, expected in ((a, sa.id), (b, sb.id)):
            with institution_scope(inst.id):
                assert set(db.session.execute(select(Staff.id)).scalars()) == {expected}
            db.session.remove()


def test_identity_map_does_not_answer_for_another_scope(app):
    """A row loaded under A's scope is not returned by session.get() once the scope is B's."""
    a, b = make_institution(), make_institution()
    theirs = make_staff(a)
    db.session.remove()
    with institution_scope(a.id):
        assert db.session.get(Staff, theirs.id) is not None
        with institution_scope(b.id):
            assert db.session.get(Staff, theirs.id) is None


def test_counts_through_subqueries_are_scoped(app):
    """Query.count(), paginate()'s total and a count over a subquery see one tenant, like plain selects."""
    from portal.staff.models import Staff
    from tests.factories import make_institution, make_staff

    a, b = make_institution(), make_institution()
    for _ in range(3):
        make_staff(a)
    make_staff(b)
    with institution_scope(b.id):
        stmt = db.select(Staff)
        assert db.session.query(Staff).count() == 1
        assert db.paginate(stmt, page=1, per_page=10, error_out=False).total == 1
        assert db.session.execute(db.select(db.func.count()).select_from(stmt.subquery())).scalar() == 1


def test_a_city_scope_sends_the_same_statement_as_one_institution(app):
    """A city of many institutions is one array parameter on PostgreSQL (not one bound parameter per institution),
    so the statement's text, and its cached plan, do not grow with the city — and it still sees only the city."""
    from tests.conftest import ON_POSTGRES
    from tests.query_budget import statements

    city, elsewhere = make_municipality(), make_municipality()
    institutions = [make_institution(city) for _ in range(30)]
    mine, theirs = make_staff(institutions[-1]), make_staff(make_institution(elsewhere))
    texts = []
    for scope in (institution_scope(institutions[0].id), across_institutions(municipality_ids={city.id}, reason="test")):
        with scope, statements() as sent:
            seen = set(db.session.execute(select(Staff.id)).scalars())
        texts.append(next(s for s in sent.sql if "FROM staff" in s))
    assert mine.id in seen and theirs.id not in seen
    if ON_POSTGRES:
        assert texts[0] == texts[1] and "ANY" in texts[0]
    else:
        assert texts[1].count("?") >= 30  # SQLite has no arrays: the ids are expanded there


def test_a_select_whose_only_column_lost_its_entity_fails_closed(app):
    """`count(Staff.id).filter(…)` keeps no ORM annotation, so the loader criteria cannot reach it: refused."""
    a, b = make_institution(), make_institution()
    make_staff(a), make_staff(b)
    with institution_scope(a.id):
        with pytest.raises(TenantViolation, match="select_from"):
            db.session.execute(select(db.func.count(Staff.id).filter(Staff.last_name != ""))).scalar()
        with pytest.raises(TenantViolation):
            db.session.execute(select(select(Staff.__table__.c.id).scalar_subquery())).scalar()
        scoped = select(db.func.count(Staff.id).filter(Staff.last_name != "")).select_from(Staff)
        assert db.session.execute(scoped).scalar() == 1


def test_the_dashboard_counts_only_its_own_institutions_programs(app):
    from portal.cabinet.services import _dashboard_counts
    from portal.mentoring.states import ProgramState
    from tests.factories import make_group, make_program

    a, b = make_institution(), make_institution()
    make_program(make_group(a), state=ProgramState.ACTIVE)
    for _ in range(3):
        make_program(make_group(b), state=ProgramState.ACTIVE)
    from datetime import date

    with institution_scope(a.id):
        figures = _dashboard_counts(date(2026, 12, 1))
    assert figures["programs_active"] == 1 and figures["groups"] == 1
