"""The personalized program as DOCX: the title fields and the plan as a table."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from portal.formatting import ru_date
from portal.mentoring.models import Program

PLAN_HEADER = ["№", "Мероприятие", "Форма", "Срок", "Ответственный", "Ожидаемый результат", "Форма отчёта", "Отметка"]


def render_program(row: Program, institution) -> bytes:
    doc = Document()
    doc.styles["Normal"].font.name, doc.styles["Normal"].font.size = "Times New Roman", Pt(12)
    p = doc.add_paragraph()
    p.add_run(institution.full_name.upper()).bold = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = doc.add_paragraph()
    title.add_run("ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА").bold = True
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    name = doc.add_paragraph(f"«{row.title}»")
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    mentors = ", ".join(f"{m.staff.full_name} ({m.staff.position_label.lower()}, {m.staff.category.label.lower()})"
                        for m in row.group.mentors)
    fields = [
        ("Наставник", mentors),
        ("Наставляемый", f"{row.mentee.full_name} ({row.mentee.position_label.lower()})"),
        ("Форма наставничества", row.group.form.name if row.group.form else ""),
        ("Срок реализации", f"с {ru_date(row.start_date)} по {ru_date(row.end_date)}"),
        ("Профессиональные затруднения", row.difficulties),
        ("Сильные стороны", row.strengths),
        ("Цель", row.goal),
        ("Задачи", row.tasks),
        ("Ожидаемые результаты", row.expected_results),
        ("Состояние", row.state.label + (f" — {row.completion_reason.label}" if row.completion_reason else "")),
    ]
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in fields:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = value or "—"
    doc.add_paragraph()
    doc.add_paragraph().add_run("План мероприятий").bold = True
    plan = doc.add_table(rows=1, cols=len(PLAN_HEADER))
    plan.style = "Table Grid"
    for cell, text in zip(plan.rows[0].cells, PLAN_HEADER):
        cell.paragraphs[0].add_run(text).bold = True
    for n, it in enumerate(row.items, start=1):
        cells = plan.add_row().cells
        for cell, text in zip(cells, [str(n), it.content, it.form, ru_date(it.due_date), it.responsible,
                                      it.expected_result, it.report_form, it.status.label]):
            cell.text = text or ""
    doc.add_paragraph()
    doc.add_paragraph("Наставник ____________        Наставляемый ____________")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
