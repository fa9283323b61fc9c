"""Bounds on uploaded XLSX, CSV and DOCX files, checked before (and while) they are parsed.

A 4.7 KB workbook may declare a sheet of 3,000 × 16,384 cells, a 412 KB zip may unpack to gigabytes, an XML
part may be malformed or carry entity bombs: each would stall a worker or end as a 500. So, before openpyxl or
python-docx sees the bytes: the upload size, the number of zip members, each member's compression ratio and
the total uncompressed size, and the sheet's declared dimension; while reading: the rows, the columns and the
time spent. openpyxl parses through defusedxml (installed, so it uses it) and python-docx with entity
resolution off, so no entity is ever expanded. Every refusal is an Invalid with a Russian message, raised
before anything is written.
"""
from __future__ import annotations

import io
import re
import time
import zipfile
from dataclasses import dataclass

from openpyxl.utils.cell import range_boundaries

from portal.errors import Invalid

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_MEMBERS = 500
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100            # uncompressed / compressed, per member (ordinary sheets and documents stay well below)
MAX_ROWS = 10_000
MAX_COLUMNS = 100
MAX_SECONDS = 20.0
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def _refuse(field: str, message: str):
    raise Invalid(field, message)


def check_size(data: bytes, field: str = "file") -> None:
    if len(data) > MAX_FILE_BYTES:
        _refuse(field, f"Файл больше {MAX_FILE_BYTES // (1024 * 1024)} МБ. Загрузите таблицу поменьше "
                       "или разделите её на несколько файлов.")


def open_zip(data: bytes, field: str = "file", kind: str = "книга Excel") -> zipfile.ZipFile:
    """The archive inside XLSX and DOCX, refused if it would unpack to much more than it weighs."""
    check_size(data, field)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        _refuse(field, f"Файл повреждён: это не {kind}. Сохраните его заново.")
    if len(members) > MAX_MEMBERS:
        _refuse(field, f"Файл повреждён или необычен: в нём {len(members)} частей. Сохраните его заново.")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            _refuse(field, "Файл распаковывается в слишком большой объём (похоже на «zip-бомбу»). "
                           "Сохраните таблицу заново.")
    if total > MAX_UNCOMPRESSED:
        _refuse(field, f"Файл распаковывается больше чем в {MAX_UNCOMPRESSED // (1024 * 1024)} МБ. "
                       "Загрузите таблицу поменьше.")
    return archive


def check_declared_dimensions(archive: zipfile.ZipFile, field: str = "file") -> None:
    """Every sheet's <dimension ref="A1:XFD3000"/> (read from the first bytes of the part) within the limits."""
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        with archive.open(name) as part:
            head = part.read(4096)
        match = _DIMENSION.search(head)
        if not match:
            continue
        try:
            min_col, min_row, max_col, max_row = range_boundaries(match.group(1).decode())
        except (ValueError, TypeError):
            continue
        if (max_row or 0) - (min_row or 0) + 1 > MAX_ROWS:
            _refuse(field, f"В листе объявлено больше {MAX_ROWS} строк. Удалите пустые строки или разделите файл.")
        if (max_col or 0) - (min_col or 0) + 1 > MAX_COLUMNS:
            _refuse(field, f"В листе объявлено больше {MAX_COLUMNS} столбцов. Удалите лишние столбцы.")


@dataclass
class Budget:
    """Rows, columns and seconds left while a parsed file is read."""

    field: str = "file"
    started: float = 0.0

    def __post_init__(self):
        self.started = time.monotonic()
        self.rows = 0

    def row(self, cells: list) -> list:
        self.rows += 1
        if self.rows > MAX_ROWS:
            _refuse(self.field, f"В таблице больше {MAX_ROWS} строк. Разделите файл на несколько.")
        if len(cells) > MAX_COLUMNS:
            if any(cells[MAX_COLUMNS:]):
                _refuse(self.field, f"В таблице больше {MAX_COLUMNS} столбцов. Удалите лишние столбцы.")
            cells = cells[:MAX_COLUMNS]
        if self.rows % 200 == 0:
            self.tick()
        return cells

    def tick(self) -> None:
        if time.monotonic() - self.started > MAX_SECONDS:
            _refuse(self.field, "Файл читается слишком долго. Сохраните его заново в простом виде (только таблица) "
                                "или разделите на несколько.")
