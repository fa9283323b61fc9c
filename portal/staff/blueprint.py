"""The staff pages' blueprint, in a module of its own so that the modules adding routes to it (picker.py) and the
pages (views.py) import it from here, and views.py imports them at the top."""
from __future__ import annotations

from tenants.routing import institution_blueprint

bp = institution_blueprint("staff", __name__, "/staff")
