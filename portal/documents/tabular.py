"""Reading uploaded tables (XLSX or CSV) into rows of strings keyed by normalised header."""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import load_workbook

from portal.documents import limits
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
    budget = limits.Budget(field)
    if name.endswith(".xlsx"):
        if data[:4] != b"PK\x03\x04":
            raise Invalid(field, "Файл назван .xlsx, но это не книга Excel. Сохраните его в формате XLSX.")
        limits.check_declared_dimensions(limits.open_zip(data, field), field)
        raw = _xlsx_rows(data, field, budget)
    elif name.endswith(".csv"):
        limits.check_size(data, field)
        text = _decode(data, field)
        dialect = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
        try:
            raw = [budget.row([c.strip() for c in row]) for row in csv.reader(io.StringIO(text), delimiter=dialect)]
        except csv.Error:
            limit = f"{csv.field_size_limit():,}".replace(",", " ")
            raise Invalid(field, f"CSV не прочитан: в ячейке больше {limit} символов или незакрытые кавычки. "
                                 "Проверьте файл.") from None
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


def _xlsx_rows(data: bytes, field: str, budget: limits.Budget) -> list[list[str]]:
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise Invalid(field, "Не удалось прочитать книгу Excel. Сохраните её заново в формате XLSX.") from None
    except Exception:  # malformed XML, entity declarations (defusedxml), broken styles: each its own type
        raise Invalid(field, "Книга Excel повреждена или содержит недопустимые конструкции. Сохраните её заново "
                             "в формате XLSX.") from None
    budget.tick()
    try:
        sheet = wb.active
        sheet.reset_dimensions()  # never pad rows to a declared dimension: read only the cells that exist
        return [budget.row([_cell(v) for v in row]) for row in sheet.iter_rows(values_only=True)]
    except Invalid:
        raise
    except Exception:
        raise Invalid(field, "Лист книги Excel повреждён. Сохраните книгу заново в формате XLSX.") from None
    finally:
        wb.close()


def _decode(data: bytes, field: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1251")
        except UnicodeDecodeError:
            raise Invalid(field, "Не удалось определить кодировку CSV. Сохраните файл в UTF-8.") from None
