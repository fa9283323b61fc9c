"""Consent rules that other features rely on: what of a person may be published."""
from __future__ import annotations

from datetime import date

from portal.consent.models import ConsentKind, ConsentRecord
from portal.extensions import db


def publishable_fields(staff_ids, as_of: date | None = None) -> dict[int, set[str]]:
    """For each staff id, the fields its holder allowed to publish (empty set: publish nothing of them).

    Only a publication consent given on or before `as_of` and not withdrawn counts.
    """
    as_of = as_of or date.today()
    ids = list(set(staff_ids))
    result: dict[int, set[str]] = {i: set() for i in ids}
    if not ids:
        return result
    rows = db.session.execute(db.select(ConsentRecord).where(
        ConsentRecord.staff_id.in_(ids), ConsentRecord.kind == ConsentKind.PUBLICATION,
        ConsentRecord.given_on <= as_of,
        (ConsentRecord.withdrawn_on.is_(None)) | (ConsentRecord.withdrawn_on > as_of))).scalars()
    for row in rows:
        result[row.staff_id] |= set(row.fields or [])
    return result
