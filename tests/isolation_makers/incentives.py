"""Isolation makers for incentive kinds and proposals."""
from __future__ import annotations

from portal.extensions import db
from tenants.context import platform_scope
from tests.factories import make_staff


def _kind(inst):
    from portal.incentives.models import IncentiveKind

    with platform_scope("test maker"):
        row = IncentiveKind(institution_id=inst.id, name="Благодарность", code="gratitude")
        db.session.add(row)
        db.session.commit()
        return row


def _proposal(inst):
    from portal.incentives.models import IncentiveProposal

    kind = _kind(inst)
    staff = make_staff(inst)
    with platform_scope("test maker"):
        row = IncentiveProposal(institution_id=inst.id, staff_id=staff.id, kind_id=kind.id, grounds="За работу",
                                source="colleague")
        db.session.add(row)
        db.session.commit()
        return row.id


MAKERS = {"incentive_kind_id": lambda inst: _kind(inst).id, "incentive_proposal_id": _proposal}
