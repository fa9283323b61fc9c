"""The items of «ПРИКАЗЫВАЮ:» as a tree: reading them from the text a curator types or pastes («1. Утвердить:»,
«1.1. Положение …», «- 2.3. Представить ежегодно в срок до 15 мая …»), numbering them back (1., 1.1., 2.3.), and
the due date an item states in its own words."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from portal.exceptions import Invalid
from portal.formatting import parse_ru_date

_NUMBER = re.compile(r"^[-–—•\s]*((?:\d{1,3}\.)*\d{1,3})\.?\s+(.*)$")
_DUE = re.compile(r"(?:в\s+срок\s+)?до\s+(\d{1,2}\.\d{1,2}\.\d{2,4})")
MONTHS = {"января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
          "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12}
_DUE_WORDS = re.compile(r"до\s+(\d{1,2})\s+(" + "|".join(MONTHS) + r")(?:\s+(\d{4}))?")
MAX_DEPTH, MAX_ITEMS, MAX_TEXT = 6, 200, 5000


@dataclass
class Node:
    text: str
    children: list[Node] = field(default_factory=list)
    responsible_staff_id: int | None = None
    responsible_text: str = ""
    due_date: date | None = None


def stated_due(text: str, academic_year: str) -> date | None:
    """The due date an item states: «в срок до 26.11.2022», or «до 15 мая» in the order's academic year."""
    if m := _DUE.search(text or ""):
        return parse_ru_date(m[1])
    if m := _DUE_WORDS.search((text or "").lower()):
        day, month = int(m[1]), MONTHS[m[2]]
        if m[3]:
            year = int(m[3])
        else:  # the academic year 2022-2023 runs from September: «до 15 мая» is May 2023, «до 26 ноября» 2022
            first = int(academic_year[:4]) if re.fullmatch(r"20\d\d-20\d\d", academic_year or "") else date.today().year
            year = first if month >= 9 else first + 1
        try:
            return date(year, month, day)
        except ValueError:
            return None
    return None


def parse(text: str, academic_year: str = "") -> list[Node]:
    """Numbered lines make the tree («2.1.» under «2.»); a line without a number continues the item above it;
    with no numbers at all every line is an item. Errors name the line."""
    lines = [line.rstrip() for line in (text or "").splitlines() if line.strip()]
    numbered = [bool(_NUMBER.match(line)) for line in lines]
    roots: list[Node] = []
    stack: list[tuple[list[int], Node]] = []
    errors = []
    count = 0
    for n, line in enumerate(lines, start=1):
        m = _NUMBER.match(line)
        if not any(numbered):
            roots.append(Node(line.strip().lstrip("-–—• ").strip()))
            count += 1
            continue
        if m is None:
            if not stack:
                errors.append(f"строка {n}: текст до первого пункта — начните с номера «1.»")
                continue
            stack[-1][1].text += " " + line.strip()
            continue
        parts = [int(p) for p in m[1].split(".")]
        node = Node(m[2].strip())
        count += 1
        if len(parts) > MAX_DEPTH:
            errors.append(f"строка {n}: пункт {m[1]} — не глубже {MAX_DEPTH} уровней")
            continue
        while stack and (len(stack[-1][0]) >= len(parts) or stack[-1][0] != parts[:len(stack[-1][0])]):
            stack.pop()
        if len(parts) == 1:
            roots.append(node)
        elif stack and len(stack[-1][0]) == len(parts) - 1:
            stack[-1][1].children.append(node)
        else:
            errors.append(f"строка {n}: пункт {m[1]} идёт без пункта {'.'.join(map(str, parts[:-1]))}")
            continue
        stack.append((parts, node))
    if count > MAX_ITEMS:
        errors.append(f"не больше {MAX_ITEMS} пунктов")
    if errors:
        raise Invalid("items", "Пункты приказа: " + "; ".join(errors) + ".")
    for node in walk(roots):
        if len(node.text) > MAX_TEXT:
            raise Invalid("items", f"Пункт «{node.text[:40]}…» длиннее {MAX_TEXT} символов.")
        node.due_date = stated_due(node.text, academic_year)
    return roots


def walk(nodes: list[Node]):
    for node in nodes:
        yield node
        yield from walk(node.children)


def numbered(items) -> list[tuple[str, int, object]]:
    """(«2.1.», depth, item) for every item of an order, depth first, from the order's rows."""
    by_parent: dict[int | None, list] = {}
    for item in items:
        by_parent.setdefault(item.parent_id, []).append(item)
    out: list[tuple[str, int, object]] = []

    def visit(parent_id, prefix: str, depth: int) -> None:
        for n, item in enumerate(sorted(by_parent.get(parent_id, []), key=lambda i: i.position), start=1):
            number = f"{prefix}{n}."
            out.append((number, depth, item))
            visit(item.id, number, depth + 1)

    visit(None, "", 0)
    return out


def as_text(items) -> str:
    """The items as the curator's text again, one numbered line each."""
    return "\n".join(f"{number} {item.text}" for number, _depth, item in numbered(items))


def from_json(items, academic_year: str, depth: int = 1) -> list[Node]:
    """The API's nested items: [{"text", "responsible_staff_id", "responsible", "due_date", "items": [...]}]."""
    if not isinstance(items, list):
        raise Invalid("items", "Пункты приказа — список.")
    if depth > MAX_DEPTH:
        raise Invalid("items", f"Пункты — не глубже {MAX_DEPTH} уровней.")
    out = []
    for n, raw in enumerate(items, start=1):
        text = " ".join(str(raw.get("text") or "").split())
        if not text:
            raise Invalid("items", f"Пункт № {n} уровня {depth}: впишите текст.")
        due_raw = raw.get("due_date")
        due = parse_ru_date(due_raw) if due_raw else stated_due(text, academic_year)
        if due_raw and due is None:
            raise Invalid("items", f"Пункт «{text[:40]}»: срок в формате гггг-мм-дд.")
        out.append(Node(text, from_json(raw.get("items") or [], academic_year, depth + 1),
                        raw.get("responsible_staff_id"), (raw.get("responsible") or "").strip()[:300], due))
    return out
