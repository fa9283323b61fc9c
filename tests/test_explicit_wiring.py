"""What the app is made of is listed, not found by walking portal/: the features create_app wires, the model modules
Alembic and the relationships see, the features' demo data. A package that has the file but is missing from its
list would be silently left out — a feature without routes, a table Alembic wants to drop — so it fails here."""
from __future__ import annotations

from pathlib import Path

from portal import FEATURES
from portal.demo import FEATURE_DEMOS
from portal.models_registry import MODEL_PACKAGES

PORTAL = Path(__file__).resolve().parents[1] / "portal"


def _packages_with(file: str) -> set[str]:
    return {p.parent.name for p in PORTAL.glob(f"*/{file}")}


def test_every_feature_with_views_is_wired_by_create_app():
    assert set(FEATURES) == _packages_with("views.py")
    assert len(FEATURES) == len(set(FEATURES))


def test_every_models_module_is_imported_for_alembic_and_the_relationships():
    assert set(MODEL_PACKAGES) == _packages_with("models.py")


def test_every_features_demo_data_is_loaded():
    assert set(FEATURE_DEMOS) == _packages_with("demo.py")


def test_a_listed_feature_registers_its_routes(app):
    blueprints = {bp.import_name.split(".")[1] for bp in app.blueprints.values() if bp.import_name.startswith("portal.")}
    assert set(FEATURES) - blueprints == set()
