"""Writing XLSX the way Russian offices expect: bold frozen header, filters, sensible widths."""
from __future__ import annotations

import io
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
    for i, header in enumerate(headers, start=1):
        width = widths[i - 1] if widths else max(12, min(45, len(str(header)) + 4))
        ws.column_dimensions[get_column_letter(i)].width = width
    return wb


def to_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
