"""Isolation makers for the seed's year: order items, local acts and their versions, delegations, annual reports."""
from __future__ import annotations

import itertools
from datetime import date, datetime

from portal.extensions import db
from tenants.context import platform_scope
from tests.factories import make_user, order_items

_numbers = itertools.count(1)


def _order_item(inst):
    from portal.mentoring.models import Order
    from portal.mentoring.states import OrderKind

    with platform_scope("test maker"):
        row = Order(institution_id=inst.id, kind=OrderKind.MENTORING, number=f"{next(_numbers)}-И",
                    issued_on=date(2022, 11, 21), title="О наставничестве", academic_year="2022-2023",
                    items=order_items(inst, "Утвердить:"))
        db.session.add(row)
        db.session.commit()
        return row.items[0].id


def _act(inst):
    from portal.local_acts.models import LocalAct, LocalActVersion

    with platform_scope("test maker"):
        act = LocalAct(institution_id=inst.id, kind="regulation", title="Положение о системе наставничества")
        act.versions.append(LocalActVersion(institution_id=inst.id, number=1, text="1. Общие положения",
                                            approved_on=date(2022, 11, 21), approving_order_ref="приказом № 1"))
        db.session.add(act)
        db.session.commit()
        return act


def _delegation(inst):
    from tenants.access import Role
    from portal.mentoring.models import OrderDelegation

    curator = make_user((Role.CURATOR, inst))
    with platform_scope("test maker"):
        row = OrderDelegation(institution_id=inst.id, user_id=curator.id, basis="приказ № 2",
                              granted_at=datetime(2022, 9, 1))
        db.session.add(row)
        db.session.commit()
        return row.id


def _report(inst):
    from portal.annual.models import AnnualReport

    with platform_scope("test maker"):
        row = AnnualReport(institution_id=inst.id, academic_year=f"20{next(_numbers) % 70 + 30}-20{next(_numbers) % 70 + 31}",
                           figures={}, comments={}, sections={}, details={}, as_of=date(2023, 5, 10),
                           due_date=date(2023, 5, 15), generated_at=datetime(2023, 5, 10))
        db.session.add(row)
        db.session.commit()
        return row.id


MAKERS = {
    "order_item_id": _order_item,
    "act_id": lambda inst: _act(inst).id,
    "version_id": lambda inst: _act(inst).versions[0].id,
    "delegation_id": _delegation,
    "report_id": _report,
}
