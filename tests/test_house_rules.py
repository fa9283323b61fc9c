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


# --- templates at a readable width --------------------------------------------------------------------------

TEMPLATE_WIDTH = 120


def _overlong_lines(source: str, label: str, width: int = TEMPLATE_WIDTH) -> list[str]:
    return [f"{label}:{number}: {len(line)} characters"
            for number, line in enumerate(source.splitlines(), 1) if len(line) > width]


def test_template_lines_are_at_most_120_characters():
    """A template line is read without scrolling: break it inside a `{{ }}`/`{% %}` tag, between the attributes of
    an HTML tag, or before a tag with `{%-` (the whitespace is then not rendered)."""
    found = [hit for path in sorted((ROOT / "templates").rglob("*.html"))
             for hit in _overlong_lines(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]
    assert found == []


def test_the_width_check_names_the_file_and_line():
    sample = "<p>short</p>\n" + "x" * 120 + "\n<p>" + "y" * 118 + "</p>\n"
    assert _overlong_lines(sample, "sample.html") == ["sample.html:3: 125 characters"]
