"""A person's data: everything the portal holds about a staff member, exported to them on request, and its
erasure on request with the act of destruction. The audit log records both by ids only."""
from __future__ import annotations

import io
from datetime import date, datetime

from docx.enum.text import WD_ALIGN_PARAGRAPH

from portal import clock
from portal.audit.services import record
from portal.consent.models import ConsentRecord, ErasureAct
from portal.documents.docx_layout import new_document, table
from portal.errors import Invalid
from portal.extensions import db
from portal.programs.models import PlanItem, Program
from portal.uploads.services import delete_attachment_file
from portal.formatting import ru_date
from portal.mentoring.models import Acknowledgement, GroupMember, MenteeNeed, MentorProfile
from portal.staff.models import Incentive, Staff, StaffChange, Training
from portal.uploads.models import Attachment


def _iso(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def collect(staff: Staff) -> dict:
    """Everything about the person, by section, in plain values (JSON-ready)."""
    q = lambda stmt: list(db.session.execute(stmt).scalars())  # noqa: E731
    programs = q(db.select(Program).where(Program.mentee_staff_id == staff.id))
    return {
        "Карточка": {"Фамилия": staff.last_name, "Имя": staff.first_name, "Отчество": staff.middle_name,
                     "Должность": staff.position_label, "Квалификационная категория": staff.category.label,
                     "Дата присвоения категории": _iso(staff.category_date),
                     "Начало педагогической деятельности": _iso(staff.pedagogical_start),
                     "Дата приёма": _iso(staff.institution_start), "Дата рождения": _iso(staff.birth_date),
                     "Рабочая электронная почта": staff.work_email},
        "История изменений карточки": [{"Когда": _iso(c.at), "Поле": c.field, "Было": c.old_value, "Стало": c.new_value}
                                       for c in q(db.select(StaffChange).where(StaffChange.staff_id == staff.id))],
        "Участие в парах и группах": [{"Пара": m.group_id, "Роль": m.role.label, "С": _iso(m.joined_at),
                                       "По": _iso(m.left_at), "Согласие": _iso(m.consent_date)}
                                      for m in q(db.select(GroupMember).where(GroupMember.staff_id == staff.id))],
        "Программы (как наставляемый)": [{"Название": p.title, "Цель": p.goal, "С": _iso(p.start_date),
                                          "По": _iso(p.end_date), "Состояние": p.state.label,
                                          "Мероприятия": [{"Содержание": i.content, "Срок": _iso(i.due_date),
                                                           "Статус": i.status.label} for i in p.items]}
                                         for p in programs],
        "Ознакомление с приказами": [{"Приказ": a.order_id, "Срок": _iso(a.due_date), "Ознакомлен": _iso(a.acknowledged_at)}
                                     for a in q(db.select(Acknowledgement).where(Acknowledgement.staff_id == staff.id))],
        "Обучение": [{"Название": t.title, "Часов": t.hours, "С": _iso(t.start_date), "По": _iso(t.end_date)}
                     for t in q(db.select(Training).where(Training.staff_id == staff.id))],
        "Поощрения": [{"Вид": i.kind_label, "Основание": i.grounds, "Дата": _iso(i.awarded_on)}
                      for i in q(db.select(Incentive).where(Incentive.staff_id == staff.id))],
        "Согласия": [{"Вид": c.kind.label, "Цель": c.purpose, "Дата": _iso(c.given_on), "Отозвано": _iso(c.withdrawn_on),
                      "Разрешено публиковать": c.fields} for c in
                     q(db.select(ConsentRecord).where(ConsentRecord.staff_id == staff.id))],
    }


def _attachments(staff: Staff) -> list[Attachment]:
    """Files that belong to the person's rows: consent scans, evidence of their program, certificates."""
    member_ids = list(db.session.execute(db.select(GroupMember.id).where(GroupMember.staff_id == staff.id)).scalars())
    item_ids = list(db.session.execute(db.select(PlanItem.id).join(Program).where(
        Program.mentee_staff_id == staff.id)).scalars())
    consent_files = list(db.session.execute(db.select(ConsentRecord.attachment_id).where(
        ConsentRecord.staff_id == staff.id, ConsentRecord.attachment_id.is_not(None))).scalars())
    cert_files = list(db.session.execute(db.select(Training.certificate_id).where(
        Training.staff_id == staff.id, Training.certificate_id.is_not(None))).scalars())
    owned = (((Attachment.owner_type == "group_member") & Attachment.owner_id.in_(member_ids))
             | ((Attachment.owner_type == "plan_item") & Attachment.owner_id.in_(item_ids))
             | ((Attachment.owner_type == "training") & (Attachment.owner_id == staff.id))
             | Attachment.id.in_(consent_files + cert_files))
    return list(db.session.execute(db.select(Attachment).where(owned)).scalars())


def erase(staff: Staff, reason: str, actor, institution) -> ErasureAct:
    """Destroy the person's record and everything hanging off it (rows by cascade, files from disk), and write
    the act. The audit event carries ids only."""
    reason = " ".join((reason or "").split())
    if len(reason) < 5:
        raise Invalid("reason", "Укажите основание уничтожения (например, «заявление субъекта от 01.12.2026»).")
    files = _attachments(staff)
    counts = {
        "Записи об участии в парах": db.session.execute(db.select(db.func.count(GroupMember.id)).where(
            GroupMember.staff_id == staff.id)).scalar_one(),
        "Программы": db.session.execute(db.select(db.func.count(Program.id)).where(
            Program.mentee_staff_id == staff.id)).scalar_one(),
        "Согласия": db.session.execute(db.select(db.func.count(ConsentRecord.id)).where(
            ConsentRecord.staff_id == staff.id)).scalar_one(),
        "Файлы": len(files),
    }
    name, staff_id = staff.full_name, staff.id
    for model in (MentorProfile, MenteeNeed):
        db.session.execute(db.delete(model).where(model.staff_id == staff_id))
    for a in files:
        delete_attachment_file(a)   # from the shared store too; with the database store, in this transaction
        db.session.delete(a)
    db.session.delete(staff)  # group members, programs, plan items, consents, training… go by ON DELETE CASCADE
    now = clock.now()
    act = ErasureAct(staff_id=staff_id, erased_at=now, actor_id=actor.id, reason=reason, summary=counts,
                     document=_act_docx(institution, name, reason, counts, now, actor.full_name))
    db.session.add(act)
    db.session.flush()
    record("erase", "staff", staff_id, actor_id=actor.id, detail=f"акт № {act.id}")
    db.session.commit()
    return act


def _act_docx(institution, name: str, reason: str, counts: dict, when: datetime, actor_name: str) -> bytes:
    doc = new_document()
    for text, bold in ((institution.full_name.upper(), True), ("АКТ", True),
                       ("об уничтожении персональных данных", False)):
        p = doc.add_paragraph()
        p.add_run(text).bold = bold
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"Дата уничтожения: {ru_date(when)}")
    doc.add_paragraph(f"Субъект персональных данных: {name}")
    doc.add_paragraph(f"Основание: {reason}")
    doc.add_paragraph("Уничтожены персональные данные, обрабатываемые в информационной системе «Наставник» "
                      "(карточка педагогического работника и связанные с ней сведения):")
    table(doc, ["Сведения", "Количество записей"], [[label, str(n)] for label, n in counts.items()], weights=[3, 1],
          align_center=(1,))
    doc.add_paragraph("Способ уничтожения: удаление записей из базы данных и файлов из хранилища без возможности "
                      "восстановления средствами системы.")
    doc.add_paragraph(f"Уничтожение выполнил(а): {actor_name}  ____________")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
