"""Isolation makers for mentoring and program routes: a row of each kind made inside the given institution."""
from __future__ import annotations

import itertools
from datetime import date, datetime

from portal.extensions import db
from tenants.context import platform_scope
from tests.factories import make_group, make_plan_item, make_program, make_staff, order_items

_numbers = itertools.count(1)


def _need(inst):
    from portal.mentoring.models import MenteeNeed
    from portal.mentoring.states import MenteeCategory

    with platform_scope("test maker"):
        row = MenteeNeed(institution_id=inst.id, staff_id=make_staff(inst).id,
                         category=MenteeCategory.YOUNG_SPECIALIST, difficulties=["planning"])
        db.session.add(row)
        db.session.commit()
        return row.id


def _order(inst):
    from portal.mentoring.models import Order
    from portal.mentoring.states import OrderKind

    with platform_scope("test maker"):
        row = Order(institution_id=inst.id, kind=OrderKind.PAIRS, number=f"{next(_numbers)}-О", issued_on=date(2024, 9, 2),
                    title="О закреплении", preamble="", items=order_items(inst, "Закрепить"), academic_year="2024-2025")
        db.session.add(row)
        db.session.commit()
        return row.id


def _ack(inst):
    from portal.mentoring.models import Acknowledgement

    order_id = _order(inst)
    with platform_scope("test maker"):
        row = Acknowledgement(institution_id=inst.id, order_id=order_id, staff_id=make_staff(inst).id,
                              due_date=date(2024, 9, 9))
        db.session.add(row)
        db.session.commit()
        return row.id


def _evidence(inst):
    from portal.uploads.models import Attachment

    item = make_plan_item(make_program(make_group(inst)))
    with platform_scope("test maker"):
        row = Attachment(institution_id=inst.id, owner_type="plan_item", owner_id=item.id, filename="отчёт.pdf",
                         storage_key=f"{inst.id}/test-{item.id}", content_type="application/pdf", size=4,
                         sha256="0" * 64)
        db.session.add(row)
        db.session.commit()
        return row.id


def _change(inst):
    from portal.programs.models import ProgramChange

    program = make_program(make_group(inst))
    with platform_scope("test maker"):
        row = ProgramChange(institution_id=inst.id, program_id=program.id, kind="content", description="Изменение",
                            at=datetime(2024, 10, 1))
        db.session.add(row)
        db.session.commit()
        return row.id


MAKERS = {
    "need_id": _need,
    "group_id": lambda inst: make_group(inst).id,
    "member_id": lambda inst: make_group(inst).members[0].id,
    "order_id": _order,
    "ack_id": _ack,
    "program_id": lambda inst: make_program(make_group(inst)).id,
    "item_id": lambda inst: make_plan_item(make_program(make_group(inst))).id,
    "evidence_id": _evidence,
    "change_id": _change,
}


def _appeal(inst):
    from portal.appeals.models import MentoringRequest
    from portal.mentoring.states import RequestKind

    group = make_group(inst)
    with platform_scope("test maker"):
        row = MentoringRequest(institution_id=inst.id, kind=RequestKind.REPLACE_MENTOR, group_id=group.id,
                               author_staff_id=group.members[-1].staff_id, reason="Не совпадают графики работы")
        db.session.add(row)
        db.session.commit()
        return row.id


MAKERS["appeal_id"] = _appeal
