"""Consent rules that other features rely on: what of a person may be published, who the registry of mentors lists
(a withdrawn consent to processing takes a person out)."""
from __future__ import annotations

from datetime import date

from portal.consent.models import ConsentKind, ConsentRecord, PUBLISHABLE_FIELDS
from portal.errors import Invalid
from portal.extensions import db
from portal.formatting import parse_ru_date
from portal.mentoring.models import GroupMember, MentorProfile
from portal.mentoring.states import MemberRole
from portal.staff.models import Staff


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


# --- recording and withdrawing consent ---------------------------------------------------------------------------

def consents_of(staff_id: int) -> list[ConsentRecord]:
    return list(db.session.execute(db.select(ConsentRecord).where(ConsentRecord.staff_id == staff_id)
                                   .order_by(ConsentRecord.given_on.desc(), ConsentRecord.id.desc())).scalars())


def record_consent(staff_id: int, data: dict, fields: list[str], attachment_id: int | None = None) -> ConsentRecord:
    errors = {}
    kind = data.get("kind") or ""
    if kind not in ConsentKind._value2member_map_:
        errors["kind"] = "Выберите вид согласия."
    purpose = (data.get("purpose") or "").strip()
    if not purpose:
        errors["purpose"] = "Укажите цель обработки."
    given = parse_ru_date(data.get("given_on") or "")
    if given is None or given > date.today():
        errors["given_on"] = "Дата согласия в формате дд.мм.гггг, не позже сегодняшней."
    unknown = [f for f in fields if f not in PUBLISHABLE_FIELDS]
    if kind == ConsentKind.PUBLICATION.value and (not fields or unknown):
        errors["fields"] = "Отметьте, какие сведения человек разрешил публиковать."
    if errors:
        raise Invalid(fields=errors)
    row = ConsentRecord(staff_id=staff_id, kind=ConsentKind(kind), purpose=purpose[:2000],
                        data_list=(data.get("data_list") or "").strip()[:5000],
                        fields=fields if kind == ConsentKind.PUBLICATION.value else [],
                        text_version=(data.get("text_version") or "").strip()[:50], given_on=given,
                        method=(data.get("method") or "письменно").strip()[:100], attachment_id=attachment_id)
    db.session.add(row)
    db.session.commit()
    return row


def withdraw(row: ConsentRecord, on: str) -> ConsentRecord:
    day = parse_ru_date(on or "") or date.today()
    if row.withdrawn_on is not None:
        raise Invalid("withdrawn_on", "Согласие уже отозвано.")
    if day < row.given_on or day > date.today():
        raise Invalid("withdrawn_on", "Дата отзыва — не раньше даты согласия и не позже сегодняшней.")
    row.withdrawn_on = day
    db.session.commit()
    return row


# --- who the registry of mentors lists ----------------------------------------------------------------------------

def in_registry(today: date | None = None):
    """Who is in the registry, as a condition on Staff for one statement: in the bank of mentors or a mentor of any
    pair, not archived, and not someone who withdrew consent to processing (inside the current scope)."""
    bank = db.select(MentorProfile.staff_id).where(MentorProfile.active.is_(True))
    paired = db.select(GroupMember.staff_id).where(GroupMember.role == MemberRole.MENTOR,
                                                   GroupMember.staff_id.is_not(None))
    return (Staff.id.in_(bank) | Staff.id.in_(paired)) & Staff.archived_at.is_(None) & Staff.id.not_in(
        withdrew_processing_ids(today))


def withdrew_processing_ids(today: date | None = None):
    """People who withdrew their consent to processing and gave none since (they leave the registry), as a
    subquery of staff ids: every record given by today is withdrawn by today."""
    today = today or date.today()
    still_given = ConsentRecord.withdrawn_on.is_(None) | (ConsentRecord.withdrawn_on > today)
    return (db.select(ConsentRecord.staff_id)
            .where(ConsentRecord.kind == ConsentKind.PROCESSING, ConsentRecord.given_on <= today)
            .group_by(ConsentRecord.staff_id).having(db.func.count(db.case((still_given, 1))) == 0))


def mentor_ids(today: date | None = None) -> list[int]:
    """The staff ids of the registry's mentors (the region's registry adds its tutors to them)."""
    return list(db.session.execute(db.select(Staff.id).where(in_registry(today)).order_by(Staff.id)).scalars())


def withdrew_processing(today: date | None = None) -> set[int]:
    """People who withdrew their consent to processing and gave none since: they leave the registry."""
    return set(db.session.execute(withdrew_processing_ids(today)).scalars())
