"""Rules of the staff registry: validation, create, edit with history, archive, search, export."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from portal import clock
from portal.accounts.services import find_user_by_email
from portal.audit.services import record
from portal.errors import Invalid
from portal.extensions import db
from portal.formatting import parse_ru_date, ru_date
from portal.staff.dictionaries import CATEGORY_LABELS, POSITIONS, Category, category_from_text, position_from_text
from portal.staff.models import Incentive, Staff, StaffChange
from tenants.queries import get_or_404

EDITABLE = ("last_name", "first_name", "middle_name", "position", "category", "category_date", "pedagogical_start",
            "institution_start", "birth_date", "work_email", "young_specialist_manual")
FIELD_LABELS = {
    "last_name": "Фамилия", "first_name": "Имя", "middle_name": "Отчество", "position": "Должность",
    "category": "Квалификационная категория", "category_date": "Дата присвоения категории",
    "pedagogical_start": "Начало педагогической деятельности", "institution_start": "Начало работы в организации",
    "birth_date": "Дата рождения", "work_email": "Рабочая электронная почта",
    "young_specialist_manual": "Молодой специалист (вручную)", "user_id": "Учётная запись",
    "archived_at": "Архив",
}
SORTS = {
    "name": (Staff.last_name, Staff.first_name, Staff.middle_name),
    "position": (Staff.position, Staff.last_name),
    "category": (Staff.category, Staff.last_name),
    "experience": (Staff.pedagogical_start.desc(), Staff.last_name),
    "tenure": (Staff.institution_start.desc(), Staff.last_name),
}
NAME_RE = re.compile(r"^[А-ЯЁA-Z][А-ЯЁа-яёA-Za-z\-' ]*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _date(raw, field: str, errors: dict, required: bool = False) -> date | None:
    if isinstance(raw, date):
        return raw
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if not raw:
        if required:
            errors[field] = f"Укажите дату в поле «{FIELD_LABELS[field]}»."
        return None
    value = parse_ru_date(str(raw))
    if value is None:
        errors[field] = "Дата в формате дд.мм.гггг, например 01.09.2021."
    elif value > date.today():
        errors[field] = "Дата не может быть в будущем."
    elif value.year < 1940:
        errors[field] = "Проверьте год."
    return value


def _name(raw: str, field: str, errors: dict, required: bool = True) -> str:
    value = " ".join((raw or "").split())
    if not value:
        if required:
            errors[field] = f"Заполните поле «{FIELD_LABELS[field]}»."
        return ""
    if len(value) > 100 or not NAME_RE.match(value):
        errors[field] = "Только буквы, дефис и пробел; с заглавной буквы."
    return value


def full_name_problem(full_name: str) -> str | None:
    """The staff form's name rule applied to «Фамилия Имя Отчество» as lists and orders write it: one rule for the
    form, the API and every import (a name like «=HYPERLINK(…)» never reaches the registry)."""
    parts = full_name.split()
    errors: dict[str, str] = {}
    if len(parts) < 2:
        return "Укажите фамилию и имя."
    _name(parts[0], "last_name", errors)
    _name(parts[1], "first_name", errors)
    _name(" ".join(parts[2:]), "middle_name", errors, required=False)
    return next(iter(errors.values()), None)


def clean(data: dict) -> dict:
    """Validate every field at once; raise Invalid with all problems, each next to its field."""
    errors: dict[str, str] = {}
    out: dict = {
        "last_name": _name(data.get("last_name", ""), "last_name", errors),
        "first_name": _name(data.get("first_name", ""), "first_name", errors),
        "middle_name": _name(data.get("middle_name", ""), "middle_name", errors, required=False),
    }
    position = position_from_text(data.get("position") or "")
    if position is None:
        errors["position"] = "Выберите должность из списка."
    out["position"] = position or ""
    raw_category = data.get("category") or "none"
    category = Category(raw_category) if raw_category in Category._value2member_map_ else category_from_text(raw_category)
    if category is None:
        errors["category"] = "Выберите квалификационную категорию из списка."
    out["category"] = category or Category.NONE
    out["category_date"] = _date(data.get("category_date"), "category_date", errors,
                                 required=category not in (None, Category.NONE))
    if category is Category.NONE:
        out["category_date"] = None
    out["pedagogical_start"] = _date(data.get("pedagogical_start"), "pedagogical_start", errors, required=True)
    out["institution_start"] = _date(data.get("institution_start"), "institution_start", errors, required=True)
    out["birth_date"] = _date(data.get("birth_date"), "birth_date", errors)
    if out["pedagogical_start"] and out["institution_start"] and out["institution_start"] < out["pedagogical_start"] \
            and "institution_start" not in errors:
        errors["institution_start"] = "Работа в организации не может начаться раньше педагогической деятельности."
    if out["birth_date"] and out["pedagogical_start"] and (out["pedagogical_start"].year - out["birth_date"].year) < 16:
        errors["birth_date"] = "Проверьте дату рождения: педагогический стаж начинается не раньше 16 лет."
    email = (data.get("work_email") or "").strip().lower()
    if email and (len(email) > 254 or not EMAIL_RE.match(email)):
        errors["work_email"] = "Адрес электронной почты вида name@school.ru."
    out["work_email"] = email
    manual = data.get("young_specialist_manual")
    out["young_specialist_manual"] = {"yes": True, "no": False, True: True, False: False}.get(manual)
    if errors:
        raise Invalid(fields=errors)
    return out


def staff_of(user) -> Staff | None:
    """The staff record of a signed-in user in the current institution (None for an account with none)."""
    return db.session.execute(db.select(Staff).where(Staff.user_id == user.id)).scalars().first()


def incentives_of(staff_id: int) -> list[Incentive]:
    return list(db.session.execute(db.select(Incentive).where(Incentive.staff_id == staff_id)
                                   .order_by(Incentive.awarded_on.desc())).scalars())


def get_staff(staff_id: int, *, audit: bool = False) -> Staff:
    staff = get_or_404(Staff, staff_id, "Сотрудник не найден.")
    if audit:
        record("read", "staff", staff.id)
        db.session.commit()
    return staff


def _display(field: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return ru_date(value)
    if field == "position":
        return POSITIONS.get(value, value)
    if field == "category":
        return CATEGORY_LABELS[Category(value)]
    if isinstance(value, bool):
        return "да" if value else "нет"
    return str(value)


def _log_changes(staff: Staff, values: dict, actor_id: int | None) -> list[str]:
    changed = []
    now = clock.now()
    for field, new in values.items():
        old = getattr(staff, field)
        if old != new:
            changed.append(field)
            db.session.add(StaffChange(staff_id=staff.id, institution_id=staff.institution_id, at=now,
                                       actor_id=actor_id, field=field, old_value=_display(field, old)[:500],
                                       new_value=_display(field, new)[:500]))
            setattr(staff, field, new)
    return changed


def create_staff(data: dict, actor_id: int | None) -> Staff:
    values = clean(data)
    staff = Staff(**values)
    db.session.add(staff)
    db.session.flush()
    db.session.add(StaffChange(staff_id=staff.id, institution_id=staff.institution_id, at=clock.now(),
                               actor_id=actor_id, field="created", new_value="Запись создана"))
    record("create", "staff", staff.id)
    db.session.commit()
    return staff


def update_staff(staff: Staff, data: dict, actor_id: int | None) -> list[str]:
    values = clean(data)
    changed = _log_changes(staff, values, actor_id)
    if changed:
        record("update", "staff", staff.id, detail="поля: " + ", ".join(changed))
    db.session.commit()
    return changed


def set_archived(staff: Staff, archived: bool, actor_id: int | None) -> None:
    new = clock.now() if archived else None
    if (staff.archived_at is None) == (new is None):
        return
    db.session.add(StaffChange(staff_id=staff.id, institution_id=staff.institution_id, at=clock.now(),
                               actor_id=actor_id, field="archived_at",
                               old_value="" if archived else "в архиве", new_value="в архиве" if archived else ""))
    staff.archived_at = new
    record("archive" if archived else "update", "staff", staff.id)
    db.session.commit()


def link_user(staff: Staff, email: str, actor_id: int | None) -> None:
    email = (email or "").strip()
    if not email:
        _log_changes(staff, {"user_id": None}, actor_id)
        db.session.commit()
        return
    user = find_user_by_email(email)
    if user is None:
        raise Invalid("user_email", "Учётная запись с таким адресом не найдена. Её создаёт координатор или администратор.")
    _log_changes(staff, {"user_id": user.id}, actor_id)
    record("update", "staff", staff.id, detail="связь с учётной записью")
    db.session.commit()


def history(staff: Staff) -> list[StaffChange]:
    return list(db.session.execute(db.select(StaffChange).where(StaffChange.staff_id == staff.id)
                                   .order_by(StaffChange.id.desc())).scalars())


@dataclass
class StaffQuery:
    q: str = ""
    sort: str = "name"
    archived: bool = False
    young: bool = False


def search_statement(query: StaffQuery):
    stmt = db.select(Staff)
    stmt = stmt.where(Staff.archived_at.is_not(None) if query.archived else Staff.archived_at.is_(None))
    for word in query.q.split()[:5]:
        like = f"%{word}%"
        # SQLite's lower() ignores Cyrillic: match the word as typed and capitalised.
        variants = {like, f"%{word.capitalize()}%", f"%{word.lower()}%"}
        stmt = stmt.where(db.or_(*[col.like(v) for v in variants
                                   for col in (Staff.last_name, Staff.first_name, Staff.middle_name, Staff.work_email)]))
    return stmt.order_by(*SORTS.get(query.sort, SORTS["name"]), Staff.id)


def search(query: StaffQuery, page: int, per_page: int = 25):
    if query.young:
        today = date.today()
        rows = [s for s in db.session.execute(search_statement(query)).scalars() if s.is_young_specialist(today)]
        return _ListPage(rows, page, per_page)
    return db.paginate(search_statement(query), page=page, per_page=per_page, error_out=False)


class _ListPage:
    """A pagination over a Python list, with the interface of Flask-SQLAlchemy's."""

    def __init__(self, rows: list, page: int, per_page: int):
        self.total, self.per_page = len(rows), per_page
        self.pages = max(1, -(-self.total // per_page))
        self.page = min(max(page, 1), self.pages)
        self.items = rows[(self.page - 1) * per_page: self.page * per_page]

    def iter_pages(self, **_):
        return range(1, self.pages + 1)


def all_for_export(query: StaffQuery) -> list[Staff]:
    rows = list(db.session.execute(search_statement(query)).scalars())
    record("export", "staff", None, detail=f"выгрузка списка, строк: {len(rows)}")
    db.session.commit()
    return rows
