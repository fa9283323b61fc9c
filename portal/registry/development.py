"""Mentors' development: training attended and incentives received; shown on the staff card, counted in the
registry and the reports."""
from __future__ import annotations

from flask import has_request_context, url_for

from portal import evidence
from portal.errors import Invalid, NotFound
from portal.extensions import db
from portal.formatting import parse_ru_date

from portal.staff.models import INCENTIVE_KINDS, INCENTIVE_LEVELS, TRAINING_KINDS, Incentive, Training
from portal.uploads.models import Attachment
from portal.uploads.services import get_attachment
from tenants.queries import get_or_404


def trainings_of(staff_id: int) -> list[Training]:
    return list(db.session.execute(db.select(Training).where(Training.staff_id == staff_id)
                                   .order_by(Training.start_date.desc())).scalars())


def certificate(staff, training_id: int) -> Attachment:
    """The certificate of a training of this person (not found when none was attached)."""
    row = get_or_404(Training, training_id, "Обучение не найдено.", staff_id=staff.id)
    if not row.certificate_id:
        raise NotFound("Удостоверение не прикреплено.")
    return get_attachment(row.certificate_id, "training", staff.id)


def clean_training(data: dict) -> dict:
    errors = {}
    title = " ".join((data.get("title") or "").split())
    if not title:
        errors["title"] = "Укажите название курса или мероприятия."
    kind = data.get("kind") or ""
    if kind not in TRAINING_KINDS:
        errors["kind"] = "Выберите вид обучения."
    hours = str(data.get("hours") or "").strip()
    if not hours.isdigit() or not 1 <= int(hours) <= 2000:
        errors["hours"] = "Часы — целое число от 1 до 2000."
    start, end = parse_ru_date(data.get("start_date") or ""), parse_ru_date(data.get("end_date") or "")
    if start is None:
        errors["start_date"] = "Дата начала в формате дд.мм.гггг."
    if end is None:
        errors["end_date"] = "Дата окончания в формате дд.мм.гггг."
    elif start and end < start:
        errors["end_date"] = "Окончание не раньше начала."
    if errors:
        raise Invalid(fields=errors)
    return {"title": title[:500], "kind": kind, "hours": int(hours), "start_date": start, "end_date": end,
            "organizer": (data.get("organizer") or "").strip()[:300],
            "mentoring_related": data.get("mentoring_related") in ("1", "on", True)}


def add_training(staff_id: int, data: dict, certificate_id: int | None = None) -> Training:
    row = Training(staff_id=staff_id, certificate_id=certificate_id, **clean_training(data))
    db.session.add(row)
    db.session.flush()
    if row.mentoring_related:
        # Roadmap items 19 and 20: courses answer «повышение квалификации», seminars and webinars «участие в …».
        source = "training_course" if row.kind == "course" else "training_event"
        evidence.record(row.institution_id, source, row.id, row.end_date,
                        f"{row.kind_label}: «{row.title}», {row.hours} ч, {row.end_date:%d.%m.%Y}",
                        url_for("staff.card", staff_id=staff_id) if has_request_context() else "")
    db.session.commit()
    return row


def add_incentive(staff_id: int, data: dict) -> Incentive:
    errors = {}
    kind, level = data.get("kind") or "", data.get("level") or "institution"
    if kind not in INCENTIVE_KINDS:
        errors["kind"] = "Выберите вид поощрения."
    if level not in INCENTIVE_LEVELS:
        errors["level"] = "Выберите уровень."
    grounds = (data.get("grounds") or "").strip()
    if not grounds:
        errors["grounds"] = "Укажите основание (за что)."
    awarded = parse_ru_date(data.get("awarded_on") or "")
    if awarded is None:
        errors["awarded_on"] = "Дата в формате дд.мм.гггг."
    order_id = data.get("order_id")
    if order_id and not str(order_id).isdigit():
        errors["order_id"] = "Выберите приказ из списка."
    if errors:
        raise Invalid(fields=errors)
    row = Incentive(staff_id=staff_id, kind=kind, level=level, grounds=grounds[:5000], awarded_on=awarded,
                    order_id=int(order_id) if order_id else None)
    db.session.add(row)
    db.session.commit()
    return row
