"""Importing the list of mentors and mentees («Список наставников и наставляемых») from XLSX, CSV or the table
of an existing order in DOCX, in the seed's layout:

    № | Ф.И.О. наставника | Квалификационная категория наставников | Ф.И.О. наставляемого | Стаж … в <организации>

A blank mentor cell means the mentor of the row above; numbering may be «3» or «3.»; tenure is written in words
(«Молодой специалист», «1 год 3 мес»). Staff are matched by full name or created; each mentor gets one proposed
group with their new mentees. All-or-nothing: every bad row is reported and nothing is written. A pair that
already exists is left alone, so importing the same file twice changes nothing."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date

from docx import Document

from portal.audit.services import record
from portal.documents import limits
from portal.documents.tabular import norm_header, read_table
from portal.errors import Invalid
from portal.extensions import db
from portal.formatting import parse_ru_date, ru_date
from portal.mentoring import groups as group_rules
from portal.mentoring.banks import forms
from portal.mentoring.models import GroupMember, MentoringGroup, Order
from portal.mentoring.order_drafting import draft_for_groups, link_groups
from portal.mentoring.states import GroupState, MemberRole, OrderKind
from portal.periods import add_months
from portal.staff.dictionaries import Category, category_from_text
from portal.staff.models import Staff
from portal.staff.services import full_name_problem
from portal.years.services import check_open, check_year, year_of
from tenants.models import Institution, InstitutionKind
from tenants.queries import find

COLUMN_LABELS = {"number": "№", "mentor": "Ф.И.О. наставника", "category": "Квалификационная категория наставников",
                 "mentee": "Ф.И.О. наставляемого", "tenure": "Стаж педагогической работы наставляемого"}
SINGLE_FORM, GROUP_FORM = "Традиционная форма наставничества («один-на-один»)", "Наставничество в группе"


@dataclass
class Row:
    number: int          # the row's number in the file (for messages), not the «№» column
    mentor: str
    category: str
    mentee: str
    tenure: str


@dataclass
class GroupImportResult:
    staff_created: int = 0
    groups_created: int = 0
    pairs_unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    groups: list = field(default_factory=list)
    order: object | None = None
    order_drafted: bool = False

    @property
    def summary(self) -> str:
        text = (f"Создано пар (групп): {self.groups_created}, новых сотрудников: {self.staff_created}, "
                f"уже были в портале: {self.pairs_unchanged}.")
        if self.order is not None:
            state = "проект создан" if self.order_drafted else ("издан" if self.order.issued_at else "проект")
            text += f" Приказ № {self.order.number} от {ru_date(self.order.issued_on)} ({state})."
        return text


def _column(header: str) -> str | None:
    key = norm_header(header)
    if "наставляемого" in key and "стаж" in key:
        return "tenure"
    if "наставляемого" in key:
        return "mentee"
    if "наставника" in key and "категор" not in key:
        return "mentor"
    if "категор" in key:
        return "category"
    if key in ("№", "n", "№ п/п", "номер"):
        return "number"
    return None


def _rows_from_grid(grid: list[list[str]]) -> list[Row]:
    start = next((i for i, cells in enumerate(grid)
                  if {"mentor", "mentee"} <= {_column(c) for c in cells}), None)
    if start is None:
        raise Invalid("file", "В файле нет таблицы со списком наставников и наставляемых: нужны столбцы "
                              "«Ф.И.О. наставника» и «Ф.И.О. наставляемого».")
    columns = [_column(c) for c in grid[start]]
    rows = []
    for offset, cells in enumerate(grid[start + 1:], start=start + 2):
        values = {col: (cells[i] if i < len(cells) else "").strip() for i, col in enumerate(columns) if col}
        if not any(values.get(k) for k in ("mentor", "mentee", "category", "tenure")):
            continue
        rows.append(Row(offset, values.get("mentor", ""), values.get("category", ""), values.get("mentee", ""),
                        values.get("tenure", "")))
    return rows


def _docx_grid(data: bytes) -> list[list[str]]:
    if data[:4] != b"PK\x03\x04":
        raise Invalid("file", "Файл назван .docx, но это не документ Word. Сохраните его в формате DOCX.")
    limits.open_zip(data, "file", kind="документ Word")
    try:
        doc = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError):
        raise Invalid("file", "Не удалось прочитать документ Word. Сохраните его заново в формате DOCX.") from None
    except Exception:  # a truncated or malformed document.xml (lxml's XMLSyntaxError and relatives)
        raise Invalid("file", "Документ Word повреждён. Откройте его в Word и сохраните заново в формате DOCX.") from None
    budget = limits.Budget("file")
    for table in doc.tables:
        grid = [budget.row([c.text.strip() for c in row.cells]) for row in table.rows]
        if grid and {"mentor", "mentee"} <= {_column(c) for c in grid[0]}:
            return grid
    raise Invalid("file", "В документе нет таблицы со списком наставников и наставляемых.")


def read_rows(filename: str, data: bytes) -> list[Row]:
    name = (filename or "").lower()
    if not data:
        raise Invalid("file", "Файл пустой.")
    if name.endswith(".docx"):
        return _rows_from_grid(_docx_grid(data))
    if name.endswith((".xlsx", ".csv")):
        return _rows_from_table(read_table(filename, data))
    raise Invalid("file", "Загрузите файл DOCX, XLSX или CSV.")


def _rows_from_table(table) -> list[Row]:
    columns = {norm_header(h): _column(h) for h in table.headers}
    if not {"mentor", "mentee"} <= set(columns.values()):
        raise Invalid("file", "Не найдены столбцы «Ф.И.О. наставника» и «Ф.И.О. наставляемого».")
    rows = []
    for number, values in table.rows:
        picked = {columns[k]: v.strip() for k, v in values.items() if columns.get(k)}
        if any(picked.get(k) for k in ("mentor", "mentee", "category", "tenure")):
            rows.append(Row(number, picked.get("mentor", ""), picked.get("category", ""), picked.get("mentee", ""),
                            picked.get("tenure", "")))
    return rows


YOUNG_SPECIALIST_WORDS = ("молодой специалист", "молодой педагог")


def _norm(text: str) -> str:
    return " ".join((text or "").lower().replace("ё", "е").split()).rstrip(".")


def stated_young(text: str) -> bool:
    """The list says «Молодой специалист» instead of a tenure: the person is a young specialist by hand."""
    return _norm(text) in YOUNG_SPECIALIST_WORDS


def tenure_months(text: str) -> int | None:
    """«1 год 3 мес» → 15, «2 года» → 24, «5 мес» → 5, «менее года» → 0; None for «Молодой специалист» (no
    figure is stated) and for anything unreadable."""
    text = _norm(text)
    if text in ("менее месяца", "менее года"):
        return 0
    match = re.fullmatch(r"(?:(\d+)\s*(?:год|года|лет|г\.?))?\s*(?:(\d+)\s*(?:мес|месяц|месяца|месяцев|м\.?)\.?)?", text)
    if not text or not match or not (match.group(1) or match.group(2)):
        return None
    return int(match.group(1) or 0) * 12 + int(match.group(2) or 0)


def _category(text: str) -> Category | None:
    """«высшая квалификационная категория», «Высшая», «первая» … as the seed and institutions write them."""
    return category_from_text(text) or category_from_text(text.lower().replace("квалификационная категория", ""))


def name_key(full_name: str) -> str:
    return " ".join(full_name.replace("ё", "е").replace("Ё", "Е").lower().split())


def _split_name(full_name: str) -> tuple[str, str, str]:
    parts = full_name.split()
    return parts[0], parts[1], " ".join(parts[2:])


def _default_position(institution: Institution) -> str:
    return "vospitatel" if institution.kind is InstitutionKind.DOU else "uchitel"


@dataclass
class ImportOptions:
    """What the list itself states besides its table: its date, the order that approves it, the academic year."""

    list_date: date | None = None
    academic_year: str = ""
    order: object | None = None          # an Order of the portal the list belongs to (its appendix)
    order_number: str = ""               # …or one to draft: «333-0» of `order_date`
    order_date: date | None = None
    confirm_over_limit: bool = False


def import_options(data: dict) -> ImportOptions:
    """The import form's (or the API's) fields, checked; all errors at once."""
    errors = {}
    out = ImportOptions(confirm_over_limit=str(data.get("confirm_over_limit") or "").lower() in ("on", "1", "true", "yes"))
    if data.get("list_date"):
        out.list_date = parse_ru_date(str(data["list_date"]))
        if out.list_date is None:
            errors["list_date"] = "Дата списка в формате дд.мм.гггг."
    if data.get("academic_year"):
        try:
            out.academic_year = check_year(str(data["academic_year"]), "academic_year")
        except Invalid as exc:
            errors.update(exc.fields)
    if data.get("order_id"):
        out.order = find(Order, data["order_id"])
        if out.order is None:
            errors["order_id"] = "Выберите приказ из списка."
    elif data.get("order_number") or data.get("order_date"):
        out.order_number = " ".join(str(data.get("order_number") or "").split())[:50]
        out.order_date = parse_ru_date(str(data.get("order_date") or ""))
        if not out.order_number:
            errors["order_number"] = "Укажите номер приказа, например 333-0."
        if out.order_date is None:
            errors["order_date"] = "Дата приказа в формате дд.мм.гггг."
    if errors:
        raise Invalid(fields=errors)
    return out


def import_groups(institution: Institution, filename: str, data: bytes, actor_id: int | None,  # noqa: C901 (predates the limit)
                  today: date | None = None, options: ImportOptions | None = None) -> GroupImportResult:
    """The list as the documents state it: its tenure as of the list's date (the order's date when it names an
    order), the pairs starting on the order's date in its academic year. A limit the institution set is a warning
    to confirm, and no limit at all applies to a list an issued order already approved."""
    today = today or date.today()
    options = options or ImportOptions()
    order = options.order
    if order is None and options.order_number and options.order_date:  # the order named may be in the portal already
        order = db.session.execute(db.select(Order).where(
            Order.number == options.order_number, Order.issued_on == options.order_date)).scalar_one_or_none()
    list_date = options.list_date or (order.issued_on if order is not None else options.order_date) or today
    start = (order.issued_on if order is not None else options.order_date) or list_date
    year = options.academic_year or (order.academic_year if order is not None and order.academic_year else "") \
        or year_of(start)
    check_open(year)
    approved = order is not None and order.issued_at is not None
    rows = read_rows(filename, data)
    if not rows:
        raise Invalid("file", "В таблице нет строк с наставниками и наставляемыми.")
    result = GroupImportResult()

    def bad(row: Row, column: str, reason: str) -> None:
        result.errors.append({"row": row.number, "column": COLUMN_LABELS[column], "reason": reason})

    # 1. Read every row: carry the mentor down, check names, categories and tenure.
    plan: dict[str, dict] = {}       # mentor key -> {"name", "category", "mentees": [(row, name, months)]}
    seen_mentees: dict[str, int] = {}
    mentor_name = category_text = ""
    for row in rows:
        if row.mentor:
            mentor_name, category_text = " ".join(row.mentor.split()), row.category
        elif not mentor_name:
            bad(row, "mentor", "Не указан наставник, и выше нет строки с наставником.")
            continue
        mentee = " ".join(row.mentee.split())
        if len(mentee.split()) < 2:
            bad(row, "mentee", "Укажите фамилию и имя наставляемого.")
            continue
        if len(mentor_name.split()) < 2:
            bad(row, "mentor", "Укажите фамилию и имя наставника.")
            continue
        name_problems = [(c, full_name_problem(n)) for c, n in (("mentor", mentor_name), ("mentee", mentee))]
        if any(problem for _, problem in name_problems):
            for column, problem in name_problems:
                if problem:
                    bad(row, column, problem)
            continue
        if row.mentor and row.category and _category(row.category) is None:
            bad(row, "category", f"Неизвестная категория «{row.category}»: высшая, первая, соответствие "
                                 "занимаемой должности, без категории.")
        months = tenure_months(row.tenure) if row.tenure else None
        if row.tenure and months is None and not stated_young(row.tenure):
            bad(row, "tenure", f"Стаж «{row.tenure}» не распознан: пишите «Молодой специалист» или «1 год 3 мес».")
        key = name_key(mentee)
        if key in seen_mentees:
            bad(row, "mentee", f"Наставляемый уже указан в строке {seen_mentees[key]}.")
            continue
        if key == name_key(mentor_name):
            bad(row, "mentee", "Наставник и наставляемый — один человек.")
            continue
        seen_mentees[key] = row.number
        entry = plan.setdefault(name_key(mentor_name), {"name": mentor_name, "category": category_text, "mentees": []})
        entry["mentees"].append((row, mentee, months, row.tenure.strip()))

    # 2. Match staff by full name; a name shared by two people is ambiguous and refused.
    staff_by_key: dict[str, list[Staff]] = {}
    for s in db.session.execute(db.select(Staff).where(Staff.archived_at.is_(None))).scalars():
        staff_by_key.setdefault(name_key(s.full_name), []).append(s)

    def find(name: str, row: Row, column: str) -> Staff | None:
        found = staff_by_key.get(name_key(name), [])
        if len(found) > 1:
            bad(row, column, f"В реестре несколько сотрудников «{name}»: уточните карточки, затем загрузите снова.")
        return found[0] if len(found) == 1 else None

    # 3. Decide pair by pair: existing pairs are left alone; a mentee with another mentor is an error.
    to_create: list[tuple[dict, Staff | None, list]] = []
    warnings: list[str] = []
    for entry in plan.values():
        first_row = entry["mentees"][0][0]
        mentor = find(entry["name"], first_row, "mentor")
        new_mentees = []
        for row, name, months, stated in entry["mentees"]:
            mentee = find(name, row, "mentee")
            live = group_rules.live_group_of_mentee(mentee.id) if mentee is not None else None
            if live is not None:
                if mentor is not None and any(m.staff_id == mentor.id for m in live.mentors):
                    result.pairs_unchanged += 1
                    result.groups.append(live)
                else:
                    bad(row, "mentee", f"{name} уже в паре (группе) № {live.id} с другим наставником.")
                continue
            new_mentees.append((row, name, months, stated, mentee))
        if not new_mentees:
            continue
        if not approved and (w := group_rules.over_limit(mentor or entry["name"], mentor.id if mentor else None,
                                                          len(new_mentees), institution)):
            warnings.append(w)
        to_create.append((entry, mentor, new_mentees))
    if result.errors:
        result.errors.sort(key=lambda e: e["row"])
        raise Invalid("file", f"Файл не загружен: ошибок — {len(result.errors)}. Исправьте их и загрузите файл снова.",
                      rows=result.errors)
    group_rules.confirm_limit(warnings, options.confirm_over_limit)

    # 4. Write: staff that are missing, then one group per mentor, mentees in the order of the file.
    form_by_name = {f.name: f for f in forms()}

    def create_staff(name: str, category: Category, months: int | None, young: bool) -> Staff:
        last, first, middle = _split_name(name)
        began = add_months(list_date, -months) if months is not None else None
        staff = Staff(last_name=last, first_name=first, middle_name=middle, position=_default_position(institution),
                      category=category, pedagogical_start=began, institution_start=began,
                      young_specialist_manual=True if young else None)
        db.session.add(staff)
        db.session.flush()
        staff_by_key.setdefault(name_key(name), []).append(staff)
        result.staff_created += 1
        return staff

    state = GroupState.APPROVED if approved else GroupState.PROPOSED
    for entry, mentor, new_mentees in to_create:
        if mentor is None:
            mentor = create_staff(entry["name"], _category(entry["category"]) or Category.NONE, None, False)
        form = form_by_name.get(SINGLE_FORM if len(new_mentees) == 1 else GROUP_FORM)
        group = MentoringGroup(form_id=form.id if form else None, start_date=start, state=state, academic_year=year)
        group.members.append(GroupMember(staff_id=mentor.id, role=MemberRole.MENTOR, joined_at=start))
        for _row, name, months, stated, mentee in new_mentees:
            mentee = mentee or create_staff(name, Category.NONE, months, stated_young(stated))
            group.members.append(GroupMember(staff_id=mentee.id, role=MemberRole.MENTEE, joined_at=start,
                                             stated_tenure=stated[:100], stated_on=list_date))
        db.session.add(group)
        db.session.flush()
        group_rules._log(group, "", GroupState.PROPOSED, f"Загружена из файла «{filename}»", actor_id)
        if approved:
            group_rules._log(group, GroupState.PROPOSED, GroupState.APPROVED,
                             f"Список утверждён приказом № {order.number} от {ru_date(order.issued_on)}", actor_id)
        result.groups_created += 1
        result.groups.append(group)
    if order is not None:  # the list is the order's appendix (an issued order approved exactly these pairs)
        link_groups(order, sorted({g.id: g for g in list(order.groups) + result.groups}.values(), key=lambda g: g.id))
    elif order is None and options.order_number and result.groups:
        order = draft_for_groups(OrderKind.MENTORING, institution, sorted(result.groups, key=lambda g: g.id),
                                 options.order_number, options.order_date, commit=False)
        result.order_drafted = True
    result.order = order
    record("import", "mentoring_group", None, institution_id=institution.id, actor_id=actor_id,
           detail=f"импорт списка наставников и наставляемых: {result.summary}")
    db.session.commit()
    return result
