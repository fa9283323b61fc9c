"""Writing XLSX the way Russian offices expect: bold frozen header, filters, sensible widths, and a print setup
(A4, landscape where the table is wide, fitted to the page width, the header row repeated on every page)."""
from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.documents.inert import inert_row

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_table(title: str, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] | None = None,
                wb: Workbook | None = None) -> Workbook:
    if wb is None:
        wb = Workbook()
        ws = wb.active
    else:
        ws = wb.create_sheet()
    ws.title = title[:31]
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    count = 0
    for row in rows:
        ws.append(inert_row(row))
        count += 1
    ws.freeze_panes = "A2"
    last = get_column_letter(len(headers))
    ws.auto_filter.ref = f"A1:{last}{count + 1}"
    used = []
    for i, header in enumerate(headers, start=1):
        width = widths[i - 1] if widths else max(12, min(45, len(str(header)) + 4))
        longest = max((len(word) for word in str(header).split()), default=0)
        width = max(width, round(longest * 1.2) + 2)  # a bold header word is never cut in two
        ws.column_dimensions[get_column_letter(i)].width = width
        used.append(width)
    # A wrapped header needs its height: LibreOffice and Excel do not grow a row for wrapped text when printing.
    lines = max((math.ceil(len(str(h)) * 1.15 / max(w - 1, 1)) for h, w in zip(headers, used)), default=1)
    ws.row_dimensions[1].height = 15 * max(1, min(lines, 6))
    print_setup(ws, used)
    return wb


PORTRAIT_WIDTH = 95  # characters of column width that still fit an A4 portrait page at a readable scale


def print_setup(ws, widths: Sequence[float] | None = None, header_rows: int = 1) -> None:
    """A4, fit to one page wide (as many pages long as needed), the header repeated, landscape when wide."""
    total = sum(widths) if widths else sum((d.width or 10) for d in ws.column_dimensions.values())
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape" if total > PORTRAIT_WIDTH else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if header_rows:
        ws.print_title_rows = f"1:{header_rows}"


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
