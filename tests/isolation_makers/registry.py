"""Isolation makers for the registry: an export of a city; a training record of an institution."""
from __future__ import annotations

from datetime import date

from portal.extensions import db
from tenants.context import platform_scope
from tests.factories import make_staff


def _export(city):
    from portal.registry.models import RegistryExport

    with platform_scope("test maker"):
        row = RegistryExport(municipality_id=city.id)
        db.session.add(row)
        db.session.commit()
        return row.id


def _training(inst):
    from portal.staff.models import Training

    staff = make_staff(inst)
    with platform_scope("test maker"):
        row = Training(institution_id=inst.id, staff_id=staff.id, kind="course", title="Наставничество в школе",
                       hours=36, start_date=date(2024, 1, 10), end_date=date(2024, 1, 20))
        db.session.add(row)
        db.session.commit()
        return row.id


MAKERS = {"training_id": _training}
CITY_MAKERS = {"export_id": _export}
NOT_TENANT_IDS = {"kind": "xlsx"}


def _consent(inst):
    from portal.consent.models import ConsentKind, ConsentRecord

    staff = make_staff(inst)
    with platform_scope("test maker"):
        row = ConsentRecord(institution_id=inst.id, staff_id=staff.id, kind=ConsentKind.PUBLICATION,
                            purpose="Публикация на сайте", fields=["full_name"], given_on=date(2024, 9, 1))
        db.session.add(row)
        db.session.commit()
        return row.id


def _act(inst):
    from datetime import datetime

    from portal.consent.models import ErasureAct

    with platform_scope("test maker"):
        row = ErasureAct(institution_id=inst.id, staff_id=999, erased_at=datetime(2024, 9, 1), reason="Заявление",
                         summary={}, document=b"PK")
        db.session.add(row)
        db.session.commit()
        return row.id


MAKERS.update({"consent_id": _consent, "act_id": _act})
