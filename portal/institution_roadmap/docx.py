"""The institution's roadmap as DOCX: the appendix to the approving order, a landscape table in the columns
institutions use («№ п/п | Наименование мероприятия | Срок реализации | Ответственный | Результат»)."""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from portal.formatting import ru_date

HEADER = ["№ п/п", "Наименование мероприятия", "Срок реализации", "Ответственный", "Результат"]
WIDTHS = [Cm(1.3), Cm(11.5), Cm(4), Cm(4.5), Cm(4.5)]


def render_roadmap(row, institution) -> bytes:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(11)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(1.5)
    if row.order is not None and row.order.issued_at is not None:
        p = doc.add_paragraph(f"Приложение к приказу от {ru_date(row.order.issued_on)} № {row.order.number}")
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    title = doc.add_paragraph()
    title.add_run(row.title).bold = True
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = doc.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, HEADER):
        cell.paragraphs[0].add_run(text).bold = True
    for n, it in enumerate(row.items, start=1):
        cells = table.add_row().cells
        number = f"{n}." + (f" (п. {it.city_activity.number} ДК города)" if it.derived and it.city_activity else "")
        for cell, text in zip(cells, [number, it.title, it.deadline_text, it.responsible or "",
                                      it.result_text]):
            cell.text = text
    for r in table.rows:
        for cell, width in zip(r.cells, WIDTHS):
            cell.width = width
    _repeat_header(table.rows[0])
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _repeat_header(row) -> None:
    """The header row repeated on every page of a long table."""
    props = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    props.append(marker)
