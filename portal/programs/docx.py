"""The personalized program as DOCX: the title fields in portrait, the plan as a table on a landscape page."""
from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH

from portal.documents.docx_layout import landscape_section, new_document, para, table
from portal.formatting import ru_date
from portal.programs.models import Program

PLAN_HEADER = ["№", "Мероприятие", "Форма", "Срок", "Ответственный", "Ожидаемый результат", "Форма отчёта", "Отметка"]


def render_program(row: Program, institution) -> bytes:
    doc = new_document()
    para(doc, institution.full_name.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    para(doc, "ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, f"«{row.title}»", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
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
    table(doc, None, [[label, value or "—"] for label, value in fields], weights=[1, 3], bold_columns=(0,))
    # The plan has eight columns: it is printed on a landscape page, then the signatures.
    landscape_section(doc)
    para(doc, "План мероприятий", bold=True, space_after=6)
    table(doc, PLAN_HEADER, [[str(n), it.content, it.form, ru_date(it.due_date), it.responsible, it.expected_result,
                              it.report_form, it.status.label] for n, it in enumerate(row.items, start=1)],
          weights=[0.3, 3, 1.3, 0.8, 1.3, 2, 1.3, 1], size=11, align_center=(0, 3))
    para(doc, "")
    para(doc, "Наставник ____________        Наставляемый ____________")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
