"""Admin screens."""
from __future__ import annotations

from flask import Blueprint

from portal.extensions import db
from portal.web import render
from tenants.access import Role, allow
from tenants.models import Institution

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/institutions")
@allow(Role.ADMIN)
def institutions():
    rows = db.session.execute(db.select(Institution).order_by(Institution.short_name)).scalars().all()
    return render("admin/institutions.html", institutions=rows)


def register(app) -> None:
    app.register_blueprint(bp)
