"""Pairs and groups are numbered within their institution and academic year, the number kept on the row and used
in lists and pickers; the head's dashboard says which states its count of pairs covers."""
from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.mentoring.models import MentoringGroup
from portal.mentoring.states import GroupState
from tenants.access import Role
from tenants.context import institution_scope
from tests.conftest import ON_POSTGRES
from tests.factories import make_group, make_institution, make_user


def test_pairs_are_numbered_from_one_within_each_institution_and_year(app):
    a, b = make_institution(), make_institution()
    first, second = make_group(a), make_group(a)
    other = make_group(b)
    next_year = make_group(a, academic_year="2025-2026")
    assert (first.number, second.number, other.number, next_year.number) == (1, 2, 1, 1)


def test_a_pair_moved_to_another_year_takes_the_next_number_there(app):
    inst = make_institution()
    make_group(inst, academic_year="2025-2026")
    moved = make_group(inst)
    with institution_scope(inst.id):
        row = db.session.get(MentoringGroup, moved.id)
        row.academic_year = "2025-2026"
        db.session.commit()
        assert row.number == 2


def test_the_list_and_the_order_picker_show_the_number_not_the_id(app, client, login):
    inst = make_institution()
    for _ in range(3):   # other institutions' pairs: the ids run ahead of this one's numbers
        make_group(make_institution())
    groups = [make_group(inst) for _ in range(2)]
    login(make_user((Role.CURATOR, inst)))
    page = client.get(f"/i/{inst.slug}/mentoring/groups?year=2024-2025").get_data(as_text=True)
    assert f'/groups/{groups[0].id}">1</a>' in page and f'/groups/{groups[1].id}">2</a>' in page
    orders = client.get(f"/i/{inst.slug}/mentoring/orders").get_data(as_text=True)
    assert f'<option value="{groups[1].id}" >№ 2:' in orders
    assert f">№ {groups[1].id}:" not in orders


def test_the_dashboard_counts_working_pairs_and_says_how_many_are_proposed(app, client, login):
    inst = make_institution()
    for state in (GroupState.ACTIVE, GroupState.ACTIVE, GroupState.PROPOSED):
        make_group(inst, state=state)
    login(make_user((Role.HEAD, inst)))
    page = client.get(f"/i/{inst.slug}/").get_data(as_text=True)
    assert "Пар и групп работает" in page
    assert page.split('id="count-groups">')[1].startswith(f'<a href="/i/{inst.slug}/mentoring/groups">2</a>')
    assert "ещё 1 предложены или утверждены" in page


def test_a_pairs_number_is_unique_within_its_institution_and_year(app):
    inst = make_institution()
    first = make_group(inst)
    with institution_scope(inst.id):
        db.session.add(MentoringGroup(institution_id=inst.id, start_date=first.start_date, number=first.number,
                                      academic_year=first.academic_year))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


@pytest.mark.commits
@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite takes one writer at a time; the lock is PostgreSQL's")
def test_two_curators_adding_pairs_at_once_get_the_next_two_numbers(app):
    inst = make_institution()
    make_group(inst)
    flushed, numbers, errors = threading.Event(), [], []

    def add(wait_for_other: bool):
        try:
            with app.app_context(), institution_scope(inst.id):
                group = MentoringGroup(institution_id=inst.id, start_date=date(2024, 9, 1), academic_year="2024-2025")
                db.session.add(group)
                db.session.flush()           # numbered here, before the other curator commits
                flushed.set()
                if wait_for_other:
                    time.sleep(0.5)          # the other one reads the highest number meanwhile
                db.session.commit()
                numbers.append(group.number)
        except Exception as exc:             # an IntegrityError without the lock
            errors.append(exc)
            flushed.set()

    first = threading.Thread(target=add, args=(True,))
    first.start()
    flushed.wait(10)
    second = threading.Thread(target=add, args=(False,))
    second.start()
    first.join(20)
    second.join(20)
    assert errors == [] and sorted(numbers) == [2, 3]
