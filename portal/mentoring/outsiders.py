"""Participants from outside the institution: registered with their written consent and the least data the pair
needs (name, organisation, position or course), listed, erased when no longer needed."""
from __future__ import annotations

from datetime import date

from portal.errors import Invalid, NotFound
from portal.extensions import db
from portal.formatting import parse_ru_date
from portal.mentoring.people import EXTERNAL_KINDS, PARTNER_EMPLOYEE, STUDENT, ExternalPerson
from portal.partners.models import Partner
from portal.uploads.models import Attachment
from portal.uploads.services import attachments_of, delete_attachment_file, get_attachment, save_upload
from tenants.queries import find, get_or_404

NAME_FIELDS = ("last_name", "first_name", "middle_name")


def people() -> list[ExternalPerson]:
    return list(db.session.execute(db.select(ExternalPerson).order_by(ExternalPerson.last_name,
                                                                      ExternalPerson.first_name)).scalars())


def person(person_id: int) -> ExternalPerson:
    return get_or_404(ExternalPerson, person_id, "Участник не найден.")


def add_person(data: dict, scan=None, uploaded_by_id: int | None = None) -> ExternalPerson:
    """A partner's employee (with the partner) or a student (the college or university, if it is a partner)."""
    errors: dict[str, str] = {}
    kind = data.get("kind") or ""
    if kind not in EXTERNAL_KINDS:
        errors["kind"] = "Выберите: работник организации-партнёра или студент."
    names = {f: " ".join((data.get(f) or "").split()) for f in NAME_FIELDS}
    if not names["last_name"]:
        errors["last_name"] = "Укажите фамилию."
    if not names["first_name"]:
        errors["first_name"] = "Укажите имя."
    if any(len(v) > 100 for v in names.values()):
        errors["last_name"] = "Фамилия, имя и отчество — не длиннее 100 знаков каждое."
    partner = find(Partner, data.get("partner_id")) if data.get("partner_id") else None
    if data.get("partner_id") and partner is None:
        errors["partner_id"] = "Выберите организацию из списка партнёров."
    if kind == PARTNER_EMPLOYEE and partner is None:
        errors["partner_id"] = "Работник партнёра — выберите его организацию (раздел «Партнёры»)."
    position = " ".join((data.get("position") or "").split())
    if len(position) > 300:
        errors["position"] = "Должность или курс — не длиннее 300 знаков."
    raw = data.get("consent_date")
    consent = raw if isinstance(raw, date) else parse_ru_date(raw or "")
    if consent is None or consent > date.today():
        errors["consent_date"] = ("Без письменного согласия на обработку персональных данных участника не вносят: "
                                  "дата согласия в формате дд.мм.гггг, не позже сегодняшней.")
    if errors:
        raise Invalid(fields=errors)
    row = ExternalPerson(kind=kind, partner_id=partner.id if partner else None, position=position,
                         consent_date=consent, **names)
    db.session.add(row)
    db.session.flush()
    if scan is not None and scan.filename:
        row.consent_attachment_id = save_upload(scan, "external_person", row.id, field="scan",
                                                uploaded_by_id=uploaded_by_id).id
    db.session.commit()
    return row


def erase(row: ExternalPerson) -> None:
    """The person's data goes with their memberships (ON DELETE CASCADE) and the consent scan."""
    for attachment in attachments_of("external_person", row.id):
        delete_attachment_file(attachment)
        db.session.delete(attachment)
    db.session.delete(row)
    db.session.commit()


def consent_scan(row: ExternalPerson) -> Attachment:
    if not row.consent_attachment_id:
        raise NotFound("Скан согласия не прикреплён.")
    return get_attachment(row.consent_attachment_id, "external_person", row.id)


def pick(ids, kind: str, errors: dict, field: str) -> list[ExternalPerson]:
    """The outside participants chosen for a pair: each of the given kind, each with consent."""
    out = []
    for raw in ids or []:
        try:
            row = find(ExternalPerson, int(raw))
        except (TypeError, ValueError):
            row = None
        if row is None or row.kind != kind:
            errors[field] = ("Выберите работника организации-партнёра из списка." if kind == PARTNER_EMPLOYEE
                             else "Выберите студента из списка.")
            return []
        if row not in out:
            out.append(row)
    return out


__all__ = ["people", "person", "add_person", "erase", "consent_scan", "pick", "PARTNER_EMPLOYEE", "STUDENT"]
