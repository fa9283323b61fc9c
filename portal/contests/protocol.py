"""The jury's protocol (протокол) of a contest as DOCX: the jury, the criteria, the ranking per nomination with
the tie rule, the signatures of the chair and the secretary."""
from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

from portal.contests.models import TIE_RULE, Contest
from portal.documents.docx_layout import new_document, plain_row, table
from portal.extensions import db
from portal.formatting import ru_date
from portal.staff.models import Staff

ROLE_LABELS = {"chair": "Председатель жюри", "secretary": "Секретарь жюри", "member": "Член жюри"}


def protocol_docx(row: Contest, results: list, municipality_name: str) -> bytes:
    doc = new_document()
    for text, bold in (("ПРОТОКОЛ ЗАСЕДАНИЯ ЖЮРИ", True), (f"конкурса «{row.title}»", False),
                       (f"{municipality_name}, {row.year} год", False)):
        p = doc.add_paragraph()
        p.add_run(text).bold = bold
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("Состав жюри: " + "; ".join(f"{ROLE_LABELS[j.role]} — {j.user.full_name}" for j in row.jurors))
    doc.add_paragraph("Критерии оценки: " + "; ".join(f"{c.title} ({c.min_score}–{c.max_score})" for c in row.criteria))
    doc.add_paragraph("Итоговый балл заявки — среднее суммарных баллов членов жюри. " + TIE_RULE)
    if results and results[0].note:
        doc.add_paragraph(f"Версия итогов № {results[0].version}: {results[0].note}")
    for nomination in row.nominations:
        lines = [r for r in results if r.nomination_id == nomination.id]
        doc.add_paragraph().add_run(f"Номинация «{nomination.title}»").bold = True
        if lines and not lines[0].held:
            doc.add_paragraph(f"Номинация не состоялась: подано менее {nomination.min_entries} заявок.")
            continue
        table(doc, ["Место", "Практика", "Организация", "Средний балл", "Итог"],
              [[str(r.rank), r.entry.title, r.entry.institution.short_name, f"{r.mean_total:.2f}".replace(".", ","),
                r.place] for r in lines], weights=[0.4, 3, 2, 0.8, 1.1], align_center=(0, 3))
    doc.add_paragraph()
    for role in ("chair", "secretary"):
        juror = next((j for j in row.jurors if j.role == role), None)
        doc.add_paragraph(f"{ROLE_LABELS[role]}  ____________  {juror.user.full_name if juror else ''}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def diplomas_docx(row: Contest, results: list, municipality_name: str) -> bytes:
    """One page per winner and prize-winner: the practice, the institution, the place; authors are not named
    here unless the entry's authors consented (they did, to enter), so their names are printed."""
    doc = new_document(14)
    winners = [r for r in results if r.place in ("Победитель", "Призёр") and r.held]
    for n, r in enumerate(winners):
        authors = db.session.execute(db.select(Staff).where(Staff.id.in_(r.entry.author_ids or []))).scalars()
        for text, bold, size in (("ДИПЛОМ", True, 28), (r.place.upper(), True, 18),
                                 (f"конкурса «{row.title}», {row.year}", False, 14),
                                 (f"награждается {r.entry.institution.full_name}", False, 14),
                                 (f"за практику «{r.entry.title}»", False, 14),
                                 ("Авторы: " + ", ".join(a.full_name for a in authors), False, 12),
                                 (municipality_name, False, 12)):
            p = doc.add_paragraph()
            run = p.add_run(text)
            run.bold, run.font.size = bold, Pt(size)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if n < len(winners) - 1:
            doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def results_order_docx(row: Contest, results: list, municipality_name: str, number: str, issued_on) -> bytes:
    """«Об итогах конкурса …»: the order of the education department with the winners and prize-winners."""
    doc = new_document()
    for text, bold in ((f"УПРАВЛЕНИЕ ОБРАЗОВАНИЯ, {municipality_name.upper()}", True), ("П Р И К А З", True)):
        p = doc.add_paragraph()
        p.add_run(text).bold = bold
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    plain_row(doc, ru_date(issued_on), f"№ {number}", right_share=0.3)
    doc.add_paragraph().add_run(f"Об итогах конкурса «{row.title}»").bold = True
    doc.add_paragraph(f"На основании протокола заседания жюри конкурса «{row.title}» {row.year} года")
    doc.add_paragraph().add_run("ПРИКАЗЫВАЮ:").bold = True
    doc.add_paragraph("1. Утвердить итоги конкурса (приложение).")
    doc.add_paragraph("2. Наградить победителей и призёров дипломами.")
    doc.add_paragraph("3. Включить практики победителей и призёров в банк лучших практик наставничества.")
    doc.add_paragraph("4. Контроль за исполнением приказа оставляю за собой.")
    titles = {n.id: n.title for n in row.nominations}
    table(doc, ["Номинация", "Место", "Практика", "Организация"],
          [[titles[r.nomination_id], r.place, r.entry.title, r.entry.institution.short_name]
           for r in results if r.held and r.place in ("Победитель", "Призёр")], weights=[1.5, 0.9, 2.5, 1.6])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
