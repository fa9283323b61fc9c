"""What «prints well» means for the documents the portal generates, checked on the bytes a user downloads.

DOCX: every table has a fixed layout whose columns sum to no more than the text width of the section it stands in
(landscape sections are wider), and no word or date is wider than its column at the font it is written in.
XLSX: every sheet prints on A4, fitted to one page wide, with its header row repeated, in landscape when its
columns are wider than a portrait page.
The conftest applies both to every DOCX and XLSX answer of every test."""
from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from portal.documents.docx_layout import CELL_PADDING_CM, word_width_cm
from portal.documents.xlsx import PORTRAIT_WIDTH

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TWIPS_PER_CM = 567
EMU_PER_CM = 360000


def _text_width_cm(sect_pr) -> float:
    size, margins = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
    return (int(size.get(qn("w:w"))) - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))) / TWIPS_PER_CM


def _tables_by_section(body):
    """(table element, its section's sectPr) in document order: a section ends at a paragraph holding a sectPr."""
    pending = []
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            pending.append(child)
        elif child.tag == qn("w:p"):
            sect_pr = child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
            if sect_pr is not None:
                yield from ((t, sect_pr) for t in pending)
                pending = []
        elif child.tag == qn("w:sectPr"):
            yield from ((t, child) for t in pending)
            pending = []


def _cell_font_pt(tc) -> float:
    sizes = [int(s.get(qn("w:val"))) / 2 for s in tc.iter(qn("w:sz"))]
    return max(sizes) if sizes else 12.0


def docx_problems(data: bytes, name: str = "документ") -> list[str]:
    doc = Document(io.BytesIO(data))
    problems = []
    for n, (tbl, sect_pr) in enumerate(_tables_by_section(doc.element.body), start=1):
        layout = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblLayout')}")
        if layout is None or layout.get(qn("w:type")) != "fixed":
            problems.append(f"{name}: таблица {n} без фиксированных ширин столбцов")
            continue
        widths = [int(c.get(qn("w:w"))) / TWIPS_PER_CM for c in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]
        page = _text_width_cm(sect_pr)
        if sum(widths) > page + 0.05:
            problems.append(f"{name}: таблица {n} шире страницы ({sum(widths):.1f} см при {page:.1f} см)")
        for tr in tbl.findall(qn("w:tr")):
            column = 0
            for tc in tr.findall(qn("w:tc")):
                span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
                cols = int(span.get(qn("w:val"))) if span is not None else 1
                room = sum(widths[column:column + cols]) - CELL_PADDING_CM + 0.05
                column += cols
                size = _cell_font_pt(tc)
                bold = any(b.get(qn("w:val"), "true") not in ("0", "false") for b in tc.iter(qn("w:b")))
                text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                for word in text.split():
                    if word_width_cm(word, size, bold) > room:
                        problems.append(f"{name}: таблица {n}: «{word}» не помещается в столбец ({room:.1f} см, {size:g} пт)")
    return problems


def xlsx_problems(data: bytes, name: str = "таблица") -> list[str]:
    wb = load_workbook(io.BytesIO(data))
    problems = []
    for ws in wb.worksheets:
        setup, where = ws.page_setup, f"{name}, лист «{ws.title}»"
        if str(setup.paperSize) != "9":
            problems.append(f"{where}: не A4")
        if not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage
                and str(setup.fitToWidth) == "1"):
            problems.append(f"{where}: не вписан в ширину страницы")
        if ws.max_row > 1 and not ws.print_title_rows:
            problems.append(f"{where}: строка заголовка не повторяется при печати")
        width = sum((d.width or 13) for d in ws.column_dimensions.values() if not d.hidden)
        if width > PORTRAIT_WIDTH and setup.orientation != "landscape":
            problems.append(f"{where}: широкая таблица ({width:.0f}) печатается не в альбомной ориентации")
    return problems


def problems_of(mimetype: str, data: bytes, name: str) -> list[str]:
    if mimetype == DOCX_MIME:
        return docx_problems(data, name)
    if mimetype == XLSX_MIME:
        return xlsx_problems(data, name)
    return []
