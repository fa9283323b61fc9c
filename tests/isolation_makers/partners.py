"""Isolation makers for partners and agreements."""
from __future__ import annotations

from datetime import date

from portal.extensions import db
from tenants.context import platform_scope


def _partner(inst):
    from portal.partners.models import Partner

    with platform_scope("test maker"):
        row = Partner(institution_id=inst.id, name="Педагогический колледж", kind="college")
        db.session.add(row)
        db.session.commit()
        return row


def _agreement(inst):
    from portal.partners.models import Agreement

    partner = _partner(inst)
    with platform_scope("test maker"):
        row = Agreement(institution_id=inst.id, partner_id=partner.id, number="1", signed_on=date(2024, 9, 1),
                        valid_from=date(2024, 9, 1), subject="Практика")
        db.session.add(row)
        db.session.commit()
        return row.id


MAKERS = {"partner_id": lambda inst: _partner(inst).id, "agreement_id": _agreement}
