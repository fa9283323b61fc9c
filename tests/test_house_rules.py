"""House rules checked on the source itself: one clock (aware UTC instants, portal/clock.py)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("portal", "tenants", "tasks")
NAIVE_CLOCK = {"utcnow", "utcfromtimestamp"}   # naive by definition; deprecated since Python 3.12


def _modules():
    for package in PACKAGES:
        yield from sorted((ROOT / package).rglob("*.py"))


def _naive_clock_calls(source: str, label: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, label)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name = node.func.attr
        if name in NAIVE_CLOCK or (name == "now" and not node.args and not node.keywords
                                   and isinstance(node.func.value, ast.Name) and node.func.value.id == "datetime"):
            found.append(f"{label}:{node.lineno}: datetime.{name}()")
    return found


def test_instants_come_from_the_one_clock():
    """`datetime.utcnow()` and a bare `datetime.now()` are naive: an instant is `portal.clock.now()` (aware UTC),
    stored through `UTCDateTime`."""
    found = [hit for path in _modules()
             for hit in _naive_clock_calls(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]
    assert found == []


def test_the_naive_clock_check_finds_a_naive_call():
    sample = "from datetime import UTC, datetime\nA = datetime.utcnow()\nB = datetime.now()\nC = datetime.now(UTC)\n"
    assert _naive_clock_calls(sample, "sample.py") == ["sample.py:2: datetime.utcnow()", "sample.py:3: datetime.now()"]
