"""Imports every model once so that relationships resolve and Alembic sees the whole schema:
tenants.models and every portal/<feature>/models.py."""
import importlib
import pkgutil
from pathlib import Path

import portal
import tenants.models  # noqa: F401
import portal.mail  # noqa: F401  (OutboxMessage)

for _module in sorted(pkgutil.iter_modules(portal.__path__), key=lambda m: m.name):
    if _module.ispkg and (Path(portal.__path__[0]) / _module.name / "models.py").exists():
        importlib.import_module(f"portal.{_module.name}.models")
