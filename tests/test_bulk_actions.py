"""Bulk actions where a curator does the same thing to many rows: the consents of every member of a group on one
date, the paper signatures of an order's acknowledgement list at once."""
from __future__ import annotations

from datetime import date, datetime

from portal.extensions import db
from portal.mentoring.models import Acknowledgement, GroupMember, Order
from portal.mentoring.states import OrderKind
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tests.factories import make_group, make_institution, make_staff, make_user, order_items


def _without_consent(inst, n_mentees=3):
    group = make_group(inst, mentees=[make_staff(inst) for _ in range(n_mentees)])
    with platform_scope("test"):
        for m in db.session.query(GroupMember).filter(GroupMember.group_id == group.id):
            m.consent_date = None
        first = db.session.query(GroupMember).filter(GroupMember.group_id == group.id).order_by(GroupMember.id).first()
        first.consent_date = date(2024, 8, 20)   # one consent already recorded keeps its date
        db.session.commit()
    return group


def test_consent_of_every_member_of_a_group_is_marked_on_one_date(app, client, login):
    inst = make_institution()
    group = _without_consent(inst)
    login(make_user((Role.CURATOR, inst)))
    page = client.get(f"/i/{inst.slug}/mentoring/groups/{group.id}").get_data(as_text=True)
    assert "Согласия всех без согласия (3)" in page
    r = client.post(f"/i/{inst.slug}/mentoring/groups/{group.id}/consent", data={"consent_date": "02.09.2024"})
    assert r.status_code == 302
    with institution_scope(inst.id):
        dates = sorted(m.consent_date for m in db.session.query(GroupMember).filter(GroupMember.group_id == group.id))
    assert dates == [date(2024, 8, 20)] + [date(2024, 9, 2)] * 3


def test_a_consent_date_in_the_future_marks_nobody(app, client, login):
    inst = make_institution()
    group = _without_consent(inst)
    login(make_user((Role.CURATOR, inst)))
    r = client.post(f"/i/{inst.slug}/mentoring/groups/{group.id}/consent", data={"consent_date": "01.01.2999"})
    assert r.status_code == 422
    with institution_scope(inst.id):
        assert db.session.query(GroupMember).filter(GroupMember.group_id == group.id,
                                                    GroupMember.consent_date.is_(None)).count() == 3


def _issued_order(inst, people):
    with platform_scope("test"):
        row = Order(institution_id=inst.id, kind=OrderKind.PAIRS, number="7-О", issued_on=date(2024, 9, 2),
                    title="О закреплении", preamble="", items=order_items(inst, "Закрепить"), academic_year="2024-2025",
                    issued_at=datetime(2024, 9, 2, 10))
        db.session.add(row)
        db.session.flush()
        acks = [Acknowledgement(institution_id=inst.id, order_id=row.id, staff_id=s.id, due_date=date(2024, 9, 9))
                for s in people]
        db.session.add_all(acks)
        db.session.commit()
        return row.id, [a.id for a in acks]


def test_paper_signatures_of_a_list_are_recorded_at_once(app, client, login):
    inst = make_institution()
    order_id, acks = _issued_order(inst, [make_staff(inst) for _ in range(4)])
    login(make_user((Role.CURATOR, inst)))
    page = client.get(f"/i/{inst.slug}/mentoring/orders/{order_id}").get_data(as_text=True)
    assert 'id="paper-list"' in page and page.count('form="paper-list"') == 4
    r = client.post(f"/i/{inst.slug}/mentoring/orders/{order_id}/acknowledgements/paper",
                    data={"ack_ids": acks[:3], "signed_on": "05.09.2024"})
    assert r.status_code == 302
    with institution_scope(inst.id):
        rows = {a.id: a for a in db.session.query(Acknowledgement)}
    assert all(rows[i].on_paper and rows[i].acknowledged_at.date() == date(2024, 9, 5) for i in acks[:3])
    assert rows[acks[3]].acknowledged_at is None


def test_paper_signatures_never_touch_another_orders_list(app, client, login):
    inst = make_institution()
    order_id, _ = _issued_order(inst, [make_staff(inst)])
    with platform_scope("test"):
        other = Order(institution_id=inst.id, kind=OrderKind.PAIRS, number="8-О", issued_on=date(2024, 9, 3),
                      title="Другой", preamble="", items=order_items(inst, "Иное"), academic_year="2024-2025",
                      issued_at=datetime(2024, 9, 3, 10))
        db.session.add(other)
        db.session.flush()
        foreign = Acknowledgement(institution_id=inst.id, order_id=other.id, staff_id=make_staff(inst).id,
                                  due_date=date(2024, 9, 9))
        db.session.add(foreign)
        db.session.commit()
        foreign_id = foreign.id
    login(make_user((Role.CURATOR, inst)))
    client.post(f"/i/{inst.slug}/mentoring/orders/{order_id}/acknowledgements/paper", data={"ack_ids": [foreign_id]})
    with institution_scope(inst.id):
        assert db.session.get(Acknowledgement, foreign_id).acknowledged_at is None
