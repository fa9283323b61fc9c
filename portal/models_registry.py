"""Imports every model once so that relationships resolve and Alembic sees the whole schema: tenants.models, the
outbox and the models of the features listed here (tests/test_explicit_wiring.py fails for a portal/<name>/models.py
that is missing)."""
import importlib

import tenants.models  # noqa: F401
import portal.mail  # noqa: F401  (OutboxMessage)

MODEL_PACKAGES = ("accounts", "annual", "appeals", "association", "audit", "calendar", "consent", "contests",
                  "incentives", "institution_roadmap", "jobs", "local_acts", "mentoring", "notifications", "pairs",
                  "partners", "programs", "public", "region", "registry", "roadmap", "staff", "storage", "surveys",
                  "uploads", "years")
for _name in MODEL_PACKAGES:
    importlib.import_module(f"portal.{_name}.models")
