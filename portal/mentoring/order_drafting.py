"""Drafting an order as the seed's №333-0 is written: number, date, title, preamble, numbered items with sub-items
(each with its responsible person and due date), appendices in order, the list «С приказом ознакомлены» with
anyone of the staff, and the head's position and name under it. A draft changes freely; an issued order never."""
from __future__ import annotations

from datetime import date, timedelta
import re

from portal.exceptions import Invalid, NotFound
from portal.extensions import db
from portal.formatting import parse_ids, parse_ru_date, ru_date
from portal.local_acts.models import LocalActVersion
from portal.local_acts.services import regulation
from portal.mentoring import appendices as appendix_kinds
from portal.mentoring import order_items
from portal.years.services import check_open, year_of
from portal.mentoring.models import Acknowledgement, MentoringGroup, Order, OrderAppendix, OrderGroup, OrderItem
from portal.mentoring.signing import deputy_words, signer_defaults
from portal.mentoring.states import OrderKind
from portal.staff.models import Staff

DEFAULT_ACK_DAYS = 3  # without a stated deadline, people have three days to read an order
MAX_APPENDICES = 10
DEFAULT_TITLES = {
    OrderKind.MENTORING: "О наставничестве",
    OrderKind.PAIRS: "О закреплении наставнических пар (групп)",
    OrderKind.REPLACEMENT: "О замене наставника",
    OrderKind.CURATOR: "О назначении куратора реализации программ наставничества",
    OrderKind.REGULATION: "Об утверждении Положения о системе наставничества педагогических работников",
    OrderKind.INCENTIVE: "О поощрении наставников",
    OrderKind.OTHER: "",
}
# Kinds whose order approves pairs: they need at least one pair.
NEEDS_PAIRS = frozenset({OrderKind.PAIRS, OrderKind.REPLACEMENT})


def default_items(kind: OrderKind, institution, year: str, issued_on: date) -> str:
    """The items as the curator will see them in the form, numbered as in the seed."""
    ack_by = ru_date(issued_on + timedelta(days=5))
    if kind is OrderKind.MENTORING:
        return "\n".join([
            "1. Утвердить:",
            "1.1. Положение о системе наставничества в новой редакции (приложение 1).",
            f"1.2. Список наставников и наставляемых на {year} учебный год (приложение 2).",
            f"2. {deputy_words(institution)}:",
            f"2.1. Ознакомить наставников и наставляемых в срок до {ack_by} года с Положением о наставничестве "
            "в новой редакции.",
            "2.2. Принять в работу «дорожную карту» по внедрению системы наставничества педагогических работников.",
            "2.3. Представить ежегодно в срок до 15 мая отчет о работе по организации наставничества в "
            "установленной форме.",
            "3. Назначить наставниками педагогов, указанных в приложении 2.",
            "4. Контроль за исполнением приказа оставляю за собой."])
    if kind is OrderKind.PAIRS:
        return "\n".join([f"1. Утвердить список наставников и наставляемых на {year} учебный год (приложение 1).",
                          "2. Наставникам совместно с наставляемыми разработать персонализированные программы "
                          "наставничества в срок до одного месяца.",
                          "3. Контроль за исполнением приказа оставляю за собой."])
    if kind is OrderKind.REPLACEMENT:
        return "\n".join(["1. Освободить от обязанностей наставника в связи с поданным заявлением.",
                          "2. Назначить наставника (приложение 1).",
                          "3. Контроль за исполнением приказа оставляю за собой."])
    return "1. Контроль за исполнением приказа оставляю за собой."


def default_preamble(kind: OrderKind, institution) -> str:
    if kind in (OrderKind.MENTORING, OrderKind.PAIRS):
        return ("В целях повышения эффективности работы с молодыми специалистами, создания необходимых условий для "
                f"профессиональной адаптации молодых педагогов в {institution.short_name}")
    return ""


def default_appendices(kind: OrderKind) -> list[dict]:
    """The seed's order: the Положение from the register as «приложение 1», the list as «приложение 2»."""
    out = []
    if kind in (OrderKind.MENTORING, OrderKind.REGULATION):
        act = regulation()
        version = (act.draft or act.current) if act is not None else None
        if version is not None:
            out.append({"kind": "local_act", "act_version_id": version.id})
    if kind in (OrderKind.MENTORING, OrderKind.PAIRS, OrderKind.REPLACEMENT):
        out.append({"kind": "group_list"})
    return out


def new_form(institution, today: date | None = None, kind: OrderKind = OrderKind.MENTORING) -> dict:
    """The values a new order's form starts with."""
    today = today or date.today()
    position, name = signer_defaults(institution)
    return {"kind": kind.value, "issued_on": ru_date(today), "title": DEFAULT_TITLES[kind],
            "preamble": default_preamble(kind, institution),
            "items": default_items(kind, institution, year_of(today), today),
            "appendices": default_appendices(kind), "signer_position": position, "signer_name": name}


# --- saving ------------------------------------------------------------------------------------------------------

def _date(value) -> date | None:
    return value if isinstance(value, date) else parse_ru_date(value or "")


def save_order(data: dict, institution, current: Order | None = None, commit: bool = True) -> Order:  # noqa: C901 (predates the limit)
    """Create or edit a draft. `items` is the numbered text or (API) a nested list; `appendices` a list of
    {"kind", "act_version_id" | "title", "text"}; `acknowledgements` a list of {"staff_id", "due_date"} or, from the
    page, `ack_staff_ids` with one `ack_due`. Every field is checked before anything is written."""
    if current is not None and current.issued_at is not None:
        raise Invalid("state", "Изданный приказ не меняется: издайте новый приказ.")
    errors: dict[str, str] = {}
    kind = data.get("kind") or ""
    if kind not in OrderKind._value2member_map_:
        errors["kind"] = "Выберите вид приказа."
    number = " ".join((data.get("number") or "").split())
    if not number:
        errors["number"] = "Укажите номер приказа, например 333-0."
    elif len(number) > 50:
        errors["number"] = "Номер приказа — не длиннее 50 символов."
    issued_on = _date(data.get("issued_on"))
    if issued_on is None:
        errors["issued_on"] = "Дата приказа в формате дд.мм.гггг."
    title = " ".join((data.get("title") or "").split())
    if not title and kind in OrderKind._value2member_map_:
        title = DEFAULT_TITLES[OrderKind(kind)]
    if not title:
        errors["title"] = "Укажите заголовок, например «О наставничестве»."
    year = (data.get("academic_year") or "").strip() or (year_of(issued_on) if issued_on else "")
    if year and not _is_year(year):
        errors["academic_year"] = "Учебный год вида 2022-2023."
    tree = []
    try:
        raw_items = data.get("items")
        tree = order_items.from_json(raw_items, year) if isinstance(raw_items, list) else \
            order_items.parse(raw_items or "", year)
        if not tree:
            errors["items"] = "Впишите пункты приказа: «1. …», подпункты «1.1. …»."
    except Invalid as exc:
        errors.update(exc.fields)
    if current is not None:
        _carry_over(tree, current)
    staff_ids = {n.responsible_staff_id for n in order_items.walk(tree) if n.responsible_staff_id}
    group_ids = parse_ids(data.get("group_ids"))
    linked = list(db.session.execute(db.select(MentoringGroup).where(MentoringGroup.id.in_(group_ids))
                                     .order_by(MentoringGroup.id)).scalars()) if group_ids else []
    if len(linked) != len(group_ids):
        errors["group_ids"] = "Выберите пары из списка."
    elif kind in NEEDS_PAIRS and not linked:
        errors["group_ids"] = "Приказ о закреплении пар должен включать хотя бы одну пару (группу)."
    # No appendices named at all: an order with pairs has their list as its appendix, as the seed's has.
    raw_appendices = data.get("appendices")
    if raw_appendices is None:
        raw_appendices = [{"kind": "group_list"}] if linked else []
    wanted_appendices = _clean_appendices(raw_appendices, errors)
    acks = _clean_acks(data, issued_on, tree, linked, errors)
    staff_ids |= {sid for sid, _ in acks}
    if staff_ids:
        known = set(db.session.execute(db.select(Staff.id).where(Staff.id.in_(staff_ids))).scalars())
        if staff_ids - known:
            errors.setdefault("acknowledgements" if any(s not in known for s, _ in acks) else "items",
                              "Выберите сотрудников из реестра.")
    if not errors and db.session.execute(db.select(Order.id).where(
            Order.number == number, Order.issued_on == issued_on, Order.id != (current.id if current else 0))).first():
        errors["number"] = "Приказ с таким номером и датой уже есть."
    if not errors:
        try:
            check_open(year)
        except Invalid as exc:
            errors.update(exc.fields)
    if errors:
        raise Invalid(fields=errors)
    position, name = signer_defaults(institution)
    row = current or Order()
    row.kind, row.number, row.issued_on, row.title = OrderKind(kind), number, issued_on, title[:500]
    row.preamble = (data.get("preamble") or "").strip()[:10000]
    row.academic_year = year
    row.signer_position = (data.get("signer_position") or "").strip()[:300] or position
    row.signer_name = (data.get("signer_name") or "").strip()[:300] or name
    if current is None:
        db.session.add(row)
    _replace_items(row, tree)
    _replace_appendices(row, wanted_appendices)
    link_groups(row, linked)
    _replace_acks(row, acks)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return row


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"20\d\d-20\d\d", text)) and int(text[5:]) == int(text[:4]) + 1


def _clean_appendices(raw: list, errors: dict) -> list[dict]:
    out = []
    if len(raw) > MAX_APPENDICES:
        errors["appendices"] = f"Не больше {MAX_APPENDICES} приложений."
        return out
    for n, a in enumerate(raw, start=1):
        kind = a.get("kind")
        if kind not in appendix_kinds.KINDS:
            errors["appendices"] = f"Приложение {n}: вид — " + ", ".join(appendix_kinds.KINDS) + "."
            continue
        entry = {"kind": kind, "title": " ".join(str(a.get("title") or "").split())[:500],
                 "text": str(a.get("text") or "").strip()[:200000], "act_version_id": None}
        if kind == "local_act":
            version = db.session.get(LocalActVersion, a.get("act_version_id")) if str(
                a.get("act_version_id") or "").isdigit() else None
            if version is None:
                errors["appendices"] = f"Приложение {n}: выберите редакцию акта из реестра."
                continue
            entry["act_version_id"] = version.id
        out.append(entry)
    if sum(1 for a in out if a["kind"] == "group_list") > 1:
        errors["appendices"] = "Список наставников и наставляемых — одно приложение."
    return out


def _clean_acks(data: dict, issued_on: date | None, tree, linked, errors: dict) -> list[tuple[int, date]]:
    """Who must read the order, in the seed's order: those responsible for its items, the mentors, the mentees,
    then anyone else chosen; each with a deadline (by default the one item 2.1 states, else three days)."""
    explicit = data.get("acknowledgements")
    if isinstance(explicit, list):
        out = []
        for n, a in enumerate(explicit, start=1):
            due = _date(a.get("due_date"))
            if a.get("due_date") and due is None:
                errors["acknowledgements"] = f"Строка {n}: срок ознакомления в формате гггг-мм-дд."
            if due and issued_on and due < issued_on:
                errors["acknowledgements"] = f"Строка {n}: срок ознакомления не раньше даты приказа."
            try:
                out.append((int(a.get("staff_id")), due))
            except (TypeError, ValueError):
                errors["acknowledgements"] = f"Строка {n}: укажите сотрудника (staff_id)."
        default_due = _default_due(data, issued_on, tree)
        return [(sid, due or default_due) for sid, due in dict(out).items()] if default_due else []
    due = _date(data.get("ack_due")) if data.get("ack_due") else None
    if data.get("ack_due") and due is None:
        errors["ack_due"] = "Срок ознакомления в формате дд.мм.гггг."
    if due and issued_on and due < issued_on:
        errors["ack_due"] = "Срок ознакомления не раньше даты приказа."
    due = due or _default_due(data, issued_on, tree)
    responsible = [n.responsible_staff_id for n in order_items.walk(tree) if n.responsible_staff_id]
    # People from outside the institution have no staff record to acknowledge with: they sign the order's copy.
    mentors = [m.staff_id for g in linked for m in g.mentors if m.staff_id is not None]
    mentees = [m.staff_id for g in linked for m in g.mentees if m.staff_id is not None]
    auto = list(dict.fromkeys(responsible + mentors + mentees))
    chosen = parse_ids(data.get("ack_staff_ids"))
    # Nobody chosen: the default list. A choice is exact, in the seed's order (the defaults first, as they stand).
    everyone = [s for s in auto if s in chosen] + [s for s in chosen if s not in auto] if chosen else auto
    return [(sid, due) for sid in everyone] if due else []


def _default_due(data: dict, issued_on: date | None, tree) -> date | None:
    if issued_on is None:
        return None
    for node in order_items.walk(tree):
        if node.text.lower().startswith("ознакомить") and node.due_date and node.due_date >= issued_on:
            return node.due_date
    return issued_on + timedelta(days=DEFAULT_ACK_DAYS)


def _carry_over(tree, row: Order) -> None:
    """Responsible people and due dates set on the page survive a new text of the items, matched by number."""
    kept = {number: item for number, _depth, item in order_items.numbered(row.items)}

    def visit(nodes, prefix: str) -> None:
        for position, node in enumerate(nodes, start=1):
            number = f"{prefix}{position}."
            old = kept.get(number)
            if old is not None:
                node.responsible_staff_id = node.responsible_staff_id or old.responsible_staff_id
                node.responsible_text = node.responsible_text or old.responsible_text
                node.due_date = node.due_date or old.due_date
            visit(node.children, number)

    visit(tree, "")


def _replace_items(row: Order, tree) -> None:
    row.items.clear()
    db.session.flush()

    def add(nodes, parent: OrderItem | None) -> None:
        for position, node in enumerate(nodes, start=1):
            item = OrderItem(position=position, text=node.text, parent=parent,
                             responsible_staff_id=node.responsible_staff_id, responsible_text=node.responsible_text,
                             due_date=node.due_date)
            row.items.append(item)
            add(node.children, item)

    add(tree, None)


def _replace_appendices(row: Order, wanted: list[dict]) -> None:
    row.appendices.clear()
    db.session.flush()
    for position, a in enumerate(wanted, start=1):
        row.appendices.append(OrderAppendix(position=position, kind=a["kind"], title=a["title"], text=a["text"],
                                            act_version_id=a["act_version_id"]))


def link_groups(row: Order, linked: list[MentoringGroup]) -> None:
    wanted = {g.id for g in linked}
    kept = [link for link in row.links if link.group_id in wanted]
    row.links = kept + [OrderGroup(group_id=gid) for gid in sorted(wanted - {link.group_id for link in kept})]
    db.session.flush()
    db.session.expire(row, ["groups"])


def _replace_acks(row: Order, acks: list[tuple[int, date]]) -> None:
    # A draft has no acknowledgement yet (people acknowledge issued orders), so the list is rebuilt in order.
    row.acknowledgements.clear()
    db.session.flush()
    for staff_id, due in acks:
        row.acknowledgements.append(Acknowledgement(staff_id=staff_id, due_date=due))


def set_item(row: Order, item_id, data: dict) -> OrderItem:
    """The responsible person and due date of one item of a draft."""
    if row.issued_at is not None:
        raise Invalid("state", "Изданный приказ не меняется: издайте новый приказ.")
    item = next((i for i in row.items if str(i.id) == str(item_id)), None)
    if item is None:
        raise NotFound("Пункт приказа не найден.")
    errors = {}
    staff_id = data.get("responsible_staff_id")
    staff = None
    if staff_id not in (None, ""):
        staff = db.session.get(Staff, int(staff_id)) if str(staff_id).isdigit() else None
        if staff is None:
            errors["responsible_staff_id"] = "Выберите ответственного из реестра сотрудников."
    due = _date(data.get("due_date")) if data.get("due_date") else None
    if data.get("due_date") and due is None:
        errors["due_date"] = "Срок в формате дд.мм.гггг."
    if errors:
        raise Invalid(fields=errors)
    item.responsible_staff_id = staff.id if staff else None
    item.responsible_text = " ".join((data.get("responsible_text") or "").split())[:300]
    item.due_date = due
    if staff is not None and staff.id not in {a.staff_id for a in row.acknowledgements}:
        due_ack = min((a.due_date for a in row.acknowledgements), default=row.issued_on + timedelta(days=DEFAULT_ACK_DAYS))
        row.acknowledgements.insert(0, Acknowledgement(staff_id=staff.id, due_date=due_ack))
    db.session.commit()
    return item


def as_form(row: Order) -> dict:
    """A draft as the values of its edit form."""
    due = min((a.due_date for a in row.acknowledgements), default=None)
    return {"kind": row.kind.value, "number": row.number, "issued_on": ru_date(row.issued_on), "title": row.title,
            "academic_year": row.academic_year, "preamble": row.preamble, "items": order_items.as_text(row.items),
            "group_ids": [g.id for g in row.groups],
            "appendices": [{"kind": a.kind, "act_version_id": a.act_version_id, "title": a.title, "text": a.text}
                           for a in row.appendices],
            "ack_staff_ids": [a.staff_id for a in row.acknowledgements],
            "signer_position": row.signer_position, "signer_name": row.signer_name, "ack_due": ru_date(due) if due else ""}


def draft_for_groups(kind: OrderKind, institution, groups: list[MentoringGroup], number: str, issued_on: date,
                     preamble: str = "", title: str = "", commit: bool = True) -> Order:
    """A draft order for pairs formed elsewhere (a replacement, the next year's list), with the kind's defaults;
    the curator completes and the head issues it."""
    year = year_of(issued_on)
    data = {"kind": kind.value, "number": number, "issued_on": issued_on, "academic_year": year,
            "title": title or DEFAULT_TITLES[kind], "preamble": preamble or default_preamble(kind, institution),
            "items": default_items(kind, institution, year, issued_on), "group_ids": [g.id for g in groups],
            "appendices": [a for a in default_appendices(kind) if a["kind"] == "group_list"]}
    return save_order(data, institution, commit=commit)
