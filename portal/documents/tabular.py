"""Reading uploaded tables (XLSX or CSV) into rows of strings keyed by normalised header."""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import load_workbook

from portal.errors import Invalid


@dataclass
class Table:
    headers: list[str]          # as written in the file
    rows: list[tuple[int, dict[str, str]]]  # (row number in the file, {normalised header: value})


def norm_header(text: str) -> str:
    return " ".join(str(text or "").replace("ё", "е").replace("Ё", "Е").replace(".", " ").lower().split())


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(filename: str, data: bytes, field: str = "file") -> Table:
    name = (filename or "").lower()
    if not data:
        raise Invalid(field, "Файл пустой.")
    if name.endswith(".xlsx"):
        if data[:4] != b"PK\x03\x04":
            raise Invalid(field, "Файл назван .xlsx, но это не книга Excel. Сохраните его в формате XLSX.")
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise Invalid(field, "Не удалось прочитать книгу Excel. Сохраните её заново в формате XLSX.")
        raw = [[_cell(v) for v in row] for row in wb.active.iter_rows(values_only=True)]
    elif name.endswith(".csv"):
        text = _decode(data, field)
        dialect = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
        raw = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=dialect)]
    else:
        raise Invalid(field, "Загрузите файл XLSX или CSV.")
    # The header is the first non-empty row; institutions often put a title above the table.
    start = next((i for i, r in enumerate(raw) if sum(1 for c in r if c) >= 2), None)
    if start is None:
        raise Invalid(field, "В файле нет таблицы с заголовками.")
    headers = raw[start]
    keys = [norm_header(h) for h in headers]
    rows = []
    for offset, values in enumerate(raw[start + 1:], start=start + 2):
        if not any(values):
            continue
        rows.append((offset, {k: (values[i] if i < len(values) else "") for i, k in enumerate(keys) if k}))
    return Table(headers, rows)


def _decode(data: bytes, field: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1251")
        except UnicodeDecodeError:
            raise Invalid(field, "Не удалось определить кодировку CSV. Сохраните файл в UTF-8.")
