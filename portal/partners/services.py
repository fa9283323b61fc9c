"""Partners and agreements: validation, and whether the institution has an agreement in force on 1 October
(seed roadmap item 4: «Заключение соглашений … ежегодно до 01 октября»)."""
from __future__ import annotations

from datetime import date

from flask import has_request_context, url_for

from portal import evidence
from portal.errors import Invalid, NotFound
from portal.extensions import db
from portal.formatting import parse_ru_date
from portal.partners.models import PARTNER_KINDS, Agreement, Partner
from portal.uploads.models import Attachment
from portal.uploads.services import get_attachment
from tenants.queries import get_or_404


def partners() -> list[Partner]:
    return list(db.session.execute(db.select(Partner).order_by(Partner.name)).scalars())


def partner(partner_id: int) -> Partner:
    return get_or_404(Partner, partner_id, "Организация-партнёр не найдена.")


def agreement_file(agreement_id: int) -> Attachment:
    """The signed copy of an agreement (not found when none was attached)."""
    row = get_or_404(Agreement, agreement_id, "Соглашение не найдено.")
    if row.file_id is None:
        raise NotFound("Файл соглашения не прикреплён.")
    return get_attachment(row.file_id, "agreement", row.partner_id)


def add_partner(data: dict) -> Partner:
    errors = {}
    name = " ".join((data.get("name") or "").split())
    if not name:
        errors["name"] = "Укажите наименование организации."
    if (data.get("kind") or "") not in PARTNER_KINDS:
        errors["kind"] = "Выберите тип организации."
    site = (data.get("site_url") or "").strip()
    if site and not site.startswith(("https://", "http://")):
        errors["site_url"] = "Адрес сайта начинается с https://"
    if errors:
        raise Invalid(fields=errors)
    row = Partner(name=name[:500], kind=data["kind"], site_url=site[:300])
    db.session.add(row)
    db.session.commit()
    return row


def clean_agreement(data: dict) -> dict:
    errors = {}
    number = (data.get("number") or "").strip()
    if not number:
        errors["number"] = "Укажите номер соглашения."
    signed = parse_ru_date(data.get("signed_on") or "")
    if signed is None:
        errors["signed_on"] = "Дата подписания в формате дд.мм.гггг."
    start = parse_ru_date(data.get("valid_from") or "") or signed
    end = parse_ru_date(data.get("valid_to") or "") if data.get("valid_to") else None
    if data.get("valid_to") and end is None:
        errors["valid_to"] = "Дата окончания в формате дд.мм.гггг (пусто — бессрочно)."
    elif end and start and end < start:
        errors["valid_to"] = "Окончание действия не раньше начала."
    subject = (data.get("subject") or "").strip()
    if not subject:
        errors["subject"] = "Укажите предмет соглашения."
    if errors:
        raise Invalid(fields=errors)
    return {"number": number[:50], "signed_on": signed, "valid_from": start, "valid_to": end, "subject": subject[:5000]}


def add_agreement(row: Partner, values: dict, file_id: int | None) -> Agreement:
    agreement = Agreement(partner_id=row.id, file_id=file_id, **values)
    db.session.add(agreement)
    db.session.flush()
    # Roadmap items 4 and 11 (agreements with partners): the agreement answers its year's task by itself.
    evidence.record(row.institution_id, "agreement", agreement.id, agreement.signed_on,
                    f"Соглашение № {agreement.number} от {agreement.signed_on:%d.%m.%Y} с {row.name}",
                    url_for("partners.index") if has_request_context() else "")
    db.session.commit()
    return agreement


def has_agreement_on(day: date) -> bool:
    rows = db.session.execute(db.select(Agreement)).scalars()
    return any(a.valid_on(day) for a in rows)
