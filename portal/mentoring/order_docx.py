"""The order as DOCX in the layout of the seed's order «О наставничестве», with its appendix table."""
from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt

from portal.formatting import months_between, ru_date, tenure_words
from portal.mentoring.models import Order
from portal.mentoring.states import MemberRole

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def appendix_header(short_name: str) -> list[str]:
    return ["№", "Ф.И.О. наставника", "Квалификационная категория наставников", "Ф.И.О. наставляемого",
            f"Стаж педагогической работы наставляемого в {short_name}"]


def mentee_tenure(staff, as_of: date) -> str:
    """As the seed writes it: «Молодой специалист» under one year in the institution, else «1 год 3 мес»."""
    start = staff.institution_start or staff.pedagogical_start
    if start is None:
        return ""
    if months_between(start, as_of) < 12:
        return "Молодой специалист"
    return tenure_words(start, as_of)


def appendix_rows(order: Order) -> list[tuple[str, str, list]]:
    """[(mentor names, mentor category, [mentee staff…])], mentors in alphabetical order."""
    blocks = []
    for group in order.groups:
        mentors = sorted((m.staff for m in group.members if m.role is MemberRole.MENTOR and m.left_at is None),
                         key=lambda s: s.full_name)
        mentees = sorted((m.staff for m in group.members if m.role is MemberRole.MENTEE and m.left_at is None),
                         key=lambda s: s.full_name)
        if not mentors or not mentees:
            continue
        names = ", ".join(s.full_name for s in mentors)
        category = ", ".join(dict.fromkeys(s.category.label.lower() for s in mentors))
        blocks.append((names, category, mentees))
    blocks.sort(key=lambda b: b[0])
    merged: list[tuple[str, str, list]] = []
    for names, category, mentees in blocks:  # one mentor with several pairs: written once over all her mentees
        if merged and merged[-1][0] == names:
            merged[-1][2].extend(mentees)
        else:
            merged.append((names, category, list(mentees)))
    return [(names, category, sorted(mentees, key=lambda s: s.full_name)) for names, category, mentees in merged]


def _para(doc, text="", bold=False, align=None, size=None, space_after=6):
    p = doc.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    return p


def render_order(order: Order, institution) -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(12)
    for section in doc.sections:
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
        section.top_margin = section.bottom_margin = Cm(2)

    _para(doc, institution.full_name.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "П Р И К А З", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=14, space_after=12)
    line = doc.add_table(rows=1, cols=2)
    line.cell(0, 0).text = ru_date(order.issued_on)
    line.cell(0, 1).text = f"№ {order.number}"
    line.cell(0, 1).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _para(doc, "")
    _para(doc, order.title, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, space_after=12)
    if order.preamble:
        _para(doc, order.preamble, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _para(doc, "ПРИКАЗЫВАЮ:", bold=True, space_after=6)
    for n, item in enumerate(order.items, start=1):
        _para(doc, f"{n}. {item}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=3)
    _para(doc, "")
    sign = doc.add_table(rows=1, cols=2)
    sign.cell(0, 0).text = order.signer_position or f"Руководитель\n{institution.short_name}"
    sign.cell(0, 1).text = order.signer_name or "____________"
    sign.cell(0, 1).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _para(doc, "")
    if order.acknowledgements:
        _para(doc, "С приказом ознакомлены:", space_after=3)
        for ack in sorted(order.acknowledgements, key=lambda a: a.staff.full_name):
            when = ru_date(ack.acknowledged_at) if ack.acknowledged_at else "____________"
            _para(doc, f"\t{ack.staff.short_name}\t\t{when}", space_after=0)

    rows = appendix_rows(order)
    if rows:
        doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        _para(doc, f"Приложение к приказу от {ru_date(order.issued_on)} № {order.number}", align=WD_ALIGN_PARAGRAPH.RIGHT)
        _para(doc, f"Список наставников и наставляемых {institution.short_name}\nна {order.academic_year} учебный год",
              bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, appendix_header(institution.short_name)):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        number = 0
        for names, category, mentees in rows:
            first_row = None
            for i, mentee in enumerate(mentees):
                number += 1
                cells = table.add_row().cells
                cells[0].text = str(number)
                cells[3].text = mentee.full_name
                cells[4].text = mentee_tenure(mentee, order.issued_on)
                if i == 0:
                    cells[1].text, cells[2].text = names, category
                    first_row = len(table.rows) - 1
            if len(mentees) > 1:
                last = len(table.rows) - 1
                for col in (1, 2):  # the mentor's name once over the rows of her mentees
                    top = table.cell(first_row, col)
                    text = top.text
                    merged = top.merge(table.cell(last, col))
                    merged.text = text
        widths = [Cm(1), Cm(4.5), Cm(3.5), Cm(4.5), Cm(3)]
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
