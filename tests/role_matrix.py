"""The checked-in role matrix: endpoint -> who may call it, gathered from tests/matrix/<feature>.py.
A route missing from every module fails test_role_matrix."""
import importlib
import pkgutil

import tests.matrix

MATRIX: dict[str, set[str]] = {}
for _m in pkgutil.iter_modules(tests.matrix.__path__):
    if _m.name != "names":
        _module = importlib.import_module(f"tests.matrix.{_m.name}")
        overlap = set(MATRIX) & set(_module.MATRIX)
        assert not overlap, f"endpoints listed twice in tests/matrix: {overlap}"
        MATRIX.update(_module.MATRIX)
