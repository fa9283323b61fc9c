"""The platform administration's blueprint, in a module of its own so that regions.py (its routes join it) and
views.py both import it from here, and views.py imports regions.py at the top."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
