"""Imports flow one way: views → services → models → tenants → the foundation (portal.extensions, .exceptions,
.clock), and features do not import each other in a circle. The test reads the AST of every module of portal/,
tenants/ and tasks/ (imports inside functions included, so a cycle cannot hide there) and fails on

- a cycle between features (a feature: a package under portal/, a module directly in portal/, tenants, tasks);
- an upward import: tenants or the foundation reaching above themselves; models → services or views;
  services → views; anything importing the app assembly (`portal`'s `create_app`, the CLI, the demo data);
- more imports inside functions without a reason on their line (`# lazy: …` or `# optional: …`) than when the
  test came (UNEXPLAINED_INNER_IMPORTS, a count that may only go down).

The cycles that existed when this test came are listed in KNOWN_CYCLE_EDGES, each edge a debt: the test fails
if a new cycle appears, and fails too when a listed edge is gone, so that the list only shrinks."""
from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("portal", "tenants", "tasks")
FOUNDATION = {"portal.extensions", "portal.exceptions", "portal.clock"}
# The app assembly imports every feature; no feature imports it back.
ASSEMBLY = {"portal", "portal.cli", "portal.demo", "portal.models_registry"}
LAYER = {"models": 0, "services": 1, "views": 2}
REASONS = ("# lazy:", "# optional:")
# Modules whose imports inside functions are lazy by design, with the reason.
LAZY_MODULES = {
    "portal": "the app factory: portal/__init__.py runs before any portal.* module, so it imports what it wires "
              "when create_app runs",
}

# Feature edges that close a cycle, kept until each is cut (see the module docstring). Do not add to this list:
# 31 when this test came, none since the last was cut (programs, appeals, reminders, evidence, staff development,
# the programs', public and calendar APIs, speed mentoring and the year's lifecycle moved to where they belong).
KNOWN_CYCLE_EDGES: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class Import:
    module: str
    line: int
    target: str
    inner: bool
    text: str


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))}


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom, known) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        package = package[:len(package) - node.level + 1]
        base = ".".join(package + ([base] if base else []))
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]


def imports_of(module: str, path: Path, source: str, known) -> list[Import]:
    lines = source.splitlines()
    found = []

    def visit(node, inner):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                text = lines[child.lineno - 1]
                for target in _targets(module, path, child, known):
                    if target.split(".")[0] in PACKAGES:
                        found.append(Import(module, child.lineno, target, inner, text))
                    elif inner:
                        found.append(Import(module, child.lineno, target, inner, text))
            visit(child, inner or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(ast.parse(source, str(path)), False)
    return found


@cache
def _all_imports() -> tuple[Import, ...]:
    modules = _modules()
    return tuple(imp for name, path in modules.items()
                 for imp in imports_of(name, path, path.read_text(encoding="utf-8"), modules))


def feature(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "portal" and (parts[-1] == "demo" or parts[-1].endswith("_demo")):
        return "portal.demo"    # a feature's demo data drives the features like a user: part of the assembly
    if parts[0] == "portal" and len(parts) > 1 and (ROOT / "portal" / parts[1]).is_dir():
        return "portal." + parts[1]
    return module if parts[0] == "portal" else parts[0]


def kind(module: str) -> str | None:
    last = module.split(".")[-1]
    for name in ("models", "services", "views"):
        if last == name or last.endswith("_" + name):
            return name
    return "views" if last == "api" or last.endswith("_api") else None


def feature_graph(imports) -> dict[str, set[str]]:
    graph = defaultdict(set)
    for imp in imports:
        if imp.target.split(".")[0] in PACKAGES and feature(imp.module) != feature(imp.target):
            graph[feature(imp.module)].add(feature(imp.target))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(found)


def upward(imp: Import) -> str | None:
    """Why this import goes up a floor, or None."""
    source, target = imp.module, imp.target
    if target.split(".")[0] not in PACKAGES:
        return None
    if source in FOUNDATION and target not in FOUNDATION:
        return "the foundation imports only itself"
    if source.startswith("tenants") and not (target.startswith("tenants") or target in FOUNDATION):
        return "tenants imports only tenants and the foundation"
    if target in ASSEMBLY and feature(source) not in ASSEMBLY:
        return "nothing imports the app assembly"
    low, high = kind(source), kind(target)
    if low and high and LAYER[high] > LAYER[low]:
        return f"{low} import {high}"
    return None


def test_features_import_each_other_in_no_cycle():
    graph = feature_graph(_all_imports())
    for source, target in KNOWN_CYCLE_EDGES:
        graph[source].discard(target)
    assert cycles(graph) == []


def test_the_known_cycle_edges_only_shrink():
    """A listed edge that is gone, or that no longer closes a cycle (its two ends are not in one cycle of the whole
    graph any more: another cut broke it), is paid off: it leaves the list."""
    graph = feature_graph(_all_imports())
    in_cycle = {node: n for n, component in enumerate(cycles(graph)) for node in component}
    paid = sorted(edge for edge in KNOWN_CYCLE_EDGES if edge[1] not in graph.get(edge[0], ())
                  or edge[0] not in in_cycle or in_cycle[edge[0]] != in_cycle.get(edge[1]))
    assert paid == [], "these edges are cut or close no cycle now: remove them from KNOWN_CYCLE_EDGES"


def test_no_import_goes_up_a_floor():
    found = [f"{imp.module}:{imp.line} → {imp.target}: {why}"
             for imp in _all_imports() if (why := upward(imp))]
    assert found == []


# Imports inside functions without a reason: 413 when this test came, 28 once every import that makes no import-time
# cycle moved to the top, 0 since (and none with a reason either, outside the app factory: the blueprints that other
# modules add routes to live in blueprint.py / pages.py modules of their own). New code moves its import to the top,
# or says `# lazy: <why>` / `# optional: <why>` when the reason is real (an optional dependency, a hot CLI path).
UNEXPLAINED_INNER_IMPORTS = 0


def test_an_import_inside_a_function_says_why():
    found = sorted({f"{imp.module}:{imp.line}: {imp.text.strip()}" for imp in _all_imports()
                    if imp.inner and imp.module not in LAZY_MODULES
                    and not any(reason in imp.text for reason in REASONS)})
    assert len(found) <= UNEXPLAINED_INNER_IMPORTS, (
        "move the import to the top, or say `# lazy: <why>` / `# optional: <why>` on its line")


def test_the_walker_sees_imports_inside_functions_and_cycles_between_features():
    known = {"portal.a.models", "portal.b.services"}
    source = ("from portal.b.services import run\n"
              "def f():\n    from portal.a.models import Thing  # lazy: a reason\n    import json\n")
    found = imports_of("portal.a.services", ROOT / "portal/a/services.py", source, known)
    assert [(i.target, i.inner) for i in found] == [("portal.b.services", False), ("portal.a.models", True),
                                                    ("json", True)]
    assert cycles({"portal.a": {"portal.b"}, "portal.b": {"portal.c"}, "portal.c": {"portal.a"},
                   "tenants": set()}) == [["portal.a", "portal.b", "portal.c"]]
    assert upward(Import("portal.a.models", 1, "portal.a.services", False, "")) == "models import services"
    assert upward(Import("tenants.context", 1, "portal.audit.services", False, "")) is not None
    assert upward(Import("portal.a.services", 1, "portal.a.models", False, "")) is None
