"""Laying out DOCX the way a Russian office prints it: A4, Times New Roman, tables whose columns fit the page
(no word broken in the middle, a date on one line), wide tables in a landscape section, the header row
repeated on every page. Every generated document builds its tables here."""
from __future__ import annotations

from collections.abc import Sequence

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
A4_SHORT, A4_LONG = Cm(21), Cm(29.7)
# ГОСТ Р 7.0.97-2016: left margin 20 mm at least; the seed's documents use 30 / 15 / 20 / 20.
MARGINS = {"left": Cm(3), "right": Cm(1.5), "top": Cm(2), "bottom": Cm(2)}
CELL_PADDING_CM = 0.4   # Word's default left + right cell margins (0.19 cm each) and a little air


def new_document(size: float = 12) -> Document:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(size)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.paragraph_format.space_after = Pt(0)
    for section in doc.sections:
        _portrait(section)
    return doc


def _margins(section) -> None:
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)


def _portrait(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = A4_SHORT, A4_LONG
    _margins(section)


def landscape_section(doc: Document):
    """Start a new page in landscape for a wide table; `portrait_section` returns to portrait after it."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = A4_LONG, A4_SHORT
    section.left_margin, section.right_margin = Cm(2), Cm(2)
    section.top_margin, section.bottom_margin = Cm(3), Cm(1.5)
    return section


def portrait_section(doc: Document):
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _portrait(section)
    return section


def text_width_cm(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def para(doc, text: str = "", *, bold: bool = False, align=None, size: float | None = None, space_after: float = 0,
         italic: bool = False, keep_with_next: bool = False):
    p = doc.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    if keep_with_next:
        p.paragraph_format.keep_with_next = True
    return p


# --- column widths ---------------------------------------------------------------------------------------------

def _char_em(ch: str) -> float:
    """Approximate advance of a Times New Roman glyph in em (Cyrillic and Latin alike)."""
    if ch.isupper():
        return 0.72
    if ch in "шщжмюыШЩЖМЮЫ":
        return 0.75
    if ch.isdigit() or ch.isalpha():
        return 0.5
    return 0.33


def word_width_cm(word: str, size: float, bold: bool = False) -> float:
    em = sum(_char_em(c) for c in word) * (1.08 if bold else 1.0)
    return em * size / 72 * 2.54 * 1.08   # 8 % safety for kerning differences between fonts


def _unbreakable(text: str) -> list[str]:
    """The pieces a line may not be broken inside: words, and a date or a number with its unit."""
    return [w for w in str(text or "").split() if w]


def fit_widths(columns: Sequence[Sequence[str]], weights: Sequence[float], total_cm: float, size: float,
               bold_first: bool = True) -> list[float] | None:
    """Column widths (cm) summing to `total_cm` in which the longest word of each column fits; the rest of the
    width is shared by `weights`. None when even the minimums do not fit (use a smaller font or landscape)."""
    minimum = []
    for values in columns:
        longest = 0.0
        for i, value in enumerate(values):
            for word in _unbreakable(value):
                longest = max(longest, word_width_cm(word, size, bold=bold_first and i == 0))
        minimum.append(longest + CELL_PADDING_CM)
    spare = total_cm - sum(minimum)
    if spare < 0:
        return None
    share = sum(weights) or 1
    return [m + spare * w / share for m, w in zip(minimum, weights)]


def table(doc, header: Sequence[str] | None, rows: Sequence[Sequence[str]], weights: Sequence[float], *,
          total_cm: float | None = None, size: float = 12, min_size: float = 9, grid: bool = True,
          bold_header: bool = True, repeat_header: bool = True, align_center: Sequence[int] = (),
          bold_columns: Sequence[int] = ()):
    """A table with fixed column widths that fit the page: the font shrinks (down to `min_size`) before a word
    would have to break. Returns the python-docx table; rows are filled, merged cells are the caller's. With no
    header, a table of label/value rows (bold_columns makes the labels bold)."""
    if total_cm is None:
        total_cm = text_width_cm(doc.sections[-1])
    count = len(header) if header else len(weights)
    columns = [([header[i]] if header else []) + [r[i] if i < len(r) else "" for r in rows] for i in range(count)]
    widths, current = None, size
    while widths is None and current >= min_size:
        widths = fit_widths(columns, weights, total_cm, current, bold_first=bold_header and bool(header))
        if widths is None:
            current -= 0.5
    if widths is None:  # nothing fits: the narrowest readable font, columns by weight (long words will wrap)
        current = min_size
        widths = [total_cm * w / sum(weights) for w in weights]
    t = doc.add_table(rows=1 if header else 0, cols=count)
    if grid:
        t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _fixed_layout(t, widths)
    # Every row is written through the cells add_row() returned, and its widths set there and then: never
    # t.rows[i], t.cell(r, c) or a pass over t.rows, each of which rescans the whole table (quadratic in rows).
    t.grid_cells = []  # [row][column] → _Cell, for callers that merge (see merge_down)
    if header:
        cells = t.rows[0].cells
        for i, text in enumerate(header):
            _write(cells[i], text, current, bold=bold_header, center=True)
            cells[i].width = Cm(widths[i])
        if repeat_header:
            _repeat(t.rows[0])
        t.grid_cells.append(cells)
    for r in rows:
        cells = t.add_row().cells
        for i, w in enumerate(widths):
            if i < len(r):
                _write(cells[i], r[i], current, bold=i in bold_columns, center=i in align_center)
            cells[i].width = Cm(w)
        t.grid_cells.append(cells)
    t._font_size = current  # noqa: SLF001  (callers that add rows later use the same size)
    return t


def merge_down(t, first_row: int, last_row: int, col: int) -> None:
    """Merge a column's cells from first_row to last_row (indices of t.grid_cells) into one, keeping the first
    cell's text: the vertical-merge marks set on the cells directly (python-docx's merge() rescans the table)."""
    if last_row <= first_row:
        return
    t.grid_cells[first_row][col]._tc.vMerge = "restart"  # noqa: SLF001
    for r in range(first_row + 1, last_row + 1):
        t.grid_cells[r][col]._tc.vMerge = "continue"  # noqa: SLF001


def _fixed_layout(t, widths: Sequence[float]) -> None:
    tbl_pr = t._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths) * 567)))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(width)
    grid = t._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(w * 567)))


def set_widths(t, widths: Sequence[float]) -> None:
    """Word reads the grid, LibreOffice the cells: both are set."""
    for row in t.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = Cm(w)


def _repeat(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def _write(cell, text, size: float, bold: bool = False, center: bool = False) -> None:
    cell.text = ""
    lines = str(text if text is not None else "").split("\n")
    p = cell.paragraphs[0]
    for n, line in enumerate(lines):
        if n:
            p = cell.add_paragraph()
        run = p.add_run(line)
        run.bold = bold
        run.font.size = Pt(size)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def write_cell(cell, text, t, bold: bool = False, center: bool = False) -> None:
    """Write a cell of a table made by `table()` in the table's font size."""
    _write(cell, text, getattr(t, "_font_size", 12), bold=bold, center=center)


def plain_row(doc, left: str, right: str, total_cm: float | None = None, right_share: float = 0.4):
    """Two texts on one line without borders: «21.11.2022 … № 333-0», «Заведующий … С. И. Кравцова»."""
    total_cm = total_cm or text_width_cm(doc.sections[-1])
    widths = [total_cm * (1 - right_share), total_cm * right_share]
    t = doc.add_table(rows=1, cols=2)
    t.autofit = False
    _fixed_layout(t, widths)
    for cell, text in zip(t.rows[0].cells, (left, right)):
        cell.text = ""
        lines = text.split("\n")
        p = cell.paragraphs[0]
        for n, line in enumerate(lines):
            if n:
                p = cell.add_paragraph()
            p.add_run(line)
    for p in t.rows[0].cells[1].paragraphs:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    set_widths(t, widths)
    return t
