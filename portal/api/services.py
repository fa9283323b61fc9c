"""Which institutions a caller may see: their own, or every one of their municipality."""
from __future__ import annotations

from portal.extensions import db
from tenants.access import ADMINISTER_PLATFORM
from tenants.models import Institution


def visible_institutions(user) -> list[Institution]:
    inst_ids = {b.institution_id for b in user.bindings if b.institution_id}
    muni_ids = {b.municipality_id for b in user.bindings if b.municipality_id and b.role.level == "municipality"}
    if ADMINISTER_PLATFORM.admits(b.role for b in user.bindings):
        stmt = db.select(Institution)
    else:
        stmt = db.select(Institution).where(Institution.id.in_(inst_ids) | Institution.municipality_id.in_(muni_ids))
    return list(db.session.execute(stmt.order_by(Institution.short_name)).scalars())
