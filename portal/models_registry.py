"""Imports every model once so that relationships resolve and Alembic sees the whole schema:
tenants.models and every portal/<feature>/models.py."""
import importlib
import pkgutil
from pathlib import Path

import tenants.models  # noqa: F401
import portal.mail  # noqa: F401  (OutboxMessage)

# The package's folder, read without importing the app assembly (portal/__init__.py), which imports this module.
_PORTAL = Path(__file__).resolve().parent
for _module in sorted(pkgutil.iter_modules([str(_PORTAL)]), key=lambda m: m.name):
    if _module.ispkg and (_PORTAL / _module.name / "models.py").exists():
        importlib.import_module(f"portal.{_module.name}.models")
