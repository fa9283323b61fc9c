"""Importing the staff list from XLSX or CSV with Russian headers. All-or-nothing; importing twice adds nothing."""
from __future__ import annotations

from dataclasses import dataclass, field

from portal.audit.services import record
from portal.documents.tabular import norm_header, read_table
from portal.errors import Invalid
from portal.extensions import db
from portal.staff import services
from portal.staff.models import Staff

# Normalised header -> field. Institutions name columns in many ways; these are the ones seen in their files.
HEADERS = {
    "фамилия": "last_name", "имя": "first_name", "отчество": "middle_name",
    "фио": "full_name", "ф и о": "full_name", "фамилия имя отчество": "full_name", "ф и о педагога": "full_name",
    "должность": "position",
    "квалификационная категория": "category", "категория": "category",
    "дата присвоения категории": "category_date", "дата категории": "category_date",
    "дата присвоения": "category_date",
    "дата начала педагогической деятельности": "pedagogical_start", "педагогический стаж с": "pedagogical_start",
    "начало педагогического стажа": "pedagogical_start", "пед стаж с": "pedagogical_start",
    "дата приема в организацию": "institution_start", "дата приема": "institution_start",
    "работает в организации с": "institution_start", "дата приема на работу": "institution_start",
    "дата рождения": "birth_date",
    "электронная почта": "work_email", "e-mail": "work_email", "email": "work_email", "эл почта": "work_email",
    "рабочая электронная почта": "work_email",
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)


def _key(values: dict) -> tuple:
    return (values["last_name"].lower(), values["first_name"].lower(), values["middle_name"].lower())


def parse(filename: str, data: bytes) -> list[tuple[int, dict]]:
    table = read_table(filename, data)
    columns = {}
    for key in [norm_header(h) for h in table.headers]:
        if key in HEADERS:
            columns[key] = HEADERS[key]
    present = set(columns.values())
    if "full_name" not in present and not {"last_name", "first_name"} <= present:
        raise Invalid("file", "Не найдены столбцы «Фамилия» и «Имя» (или один столбец «Ф.И.О.»). "
                              "Проверьте строку заголовков.")
    for needed, label in (("position", "Должность"), ("pedagogical_start", "Дата начала педагогической деятельности"),
                          ("institution_start", "Дата приёма в организацию")):
        if needed not in present:
            raise Invalid("file", f"Не найден столбец «{label}».")
    parsed = []
    for number, raw in table.rows:
        values = {columns[k]: v for k, v in raw.items() if k in columns}
        if "full_name" in values:
            parts = values.pop("full_name").split()
            values.setdefault("last_name", parts[0] if parts else "")
            values.setdefault("first_name", parts[1] if len(parts) > 1 else "")
            values.setdefault("middle_name", " ".join(parts[2:]))
        parsed.append((number, values))
    return parsed


def import_staff(filename: str, data: bytes, actor_id: int | None) -> ImportResult:
    """Validate every row first; write only if all rows are good. Matching: full name (+ e-mail when given)."""
    rows = parse(filename, data)
    if not rows:
        raise Invalid("file", "В файле нет строк с сотрудниками.")
    result = ImportResult()
    cleaned: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}
    for number, values in rows:
        try:
            good = services.clean(values)
        except Invalid as exc:
            for name, message in exc.fields.items():
                result.errors.append({"row": number, "column": services.FIELD_LABELS.get(name, name), "reason": message})
            continue
        key = _key(good)
        if key in seen:
            result.errors.append({"row": number, "column": "Ф.И.О.",
                                  "reason": f"Повторяет строку {seen[key]}: один человек — одна строка."})
            continue
        seen[key] = number
        cleaned.append((number, good))
    if result.errors:
        raise Invalid("file", f"Файл не загружен: ошибок — {len(result.errors)}. Исправьте их и загрузите файл снова.",
                      rows=result.errors)

    existing: dict[tuple, list[Staff]] = {}
    for staff in db.session.execute(db.select(Staff)).scalars():
        existing.setdefault(_key({"last_name": staff.last_name, "first_name": staff.first_name,
                                  "middle_name": staff.middle_name}), []).append(staff)
    for _, values in cleaned:
        matches = existing.get(_key(values), [])
        if values["work_email"]:
            matches = [s for s in matches if not s.work_email or s.work_email == values["work_email"]] or matches
        if matches:
            if services._log_changes(matches[0], values, actor_id):
                result.updated += 1
            else:
                result.unchanged += 1
        else:
            db.session.add(Staff(**values))
            result.created += 1
    record("import", "staff", None, detail=f"импорт: новых {result.created}, изменено {result.updated}")
    db.session.commit()
    return result
