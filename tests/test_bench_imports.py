"""The benchmarks in bench/ run only by hand, so a moved model would break them silently: every name they import
from the portal (inside functions too) must still be there."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
OURS = ("portal", "tenants", "tasks", "bench")


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in OURS:
            for alias in node.names:
                yield node.lineno, node.module, alias.name


def _resolves(module: str, name: str) -> bool:
    if hasattr(importlib.import_module(module), name):
        return True
    try:
        importlib.import_module(f"{module}.{name}")
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("path", sorted(BENCH.rglob("*.py")), ids=lambda p: p.name)
def test_every_name_a_benchmark_imports_from_the_portal_exists(path):
    missing = [f"{path.name}:{line}: from {module} import {name}" for line, module, name in _imports(path)
               if not _resolves(module, name)]
    assert not missing, missing
