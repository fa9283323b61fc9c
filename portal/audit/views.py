"""Audit log pages: the head sees her institution's events, the coordinator the city's."""
from __future__ import annotations

from flask import g

from portal.audit import services
from portal.navigation import Group, nav_item
from portal.web import page_arg, render
from tenants.access import READ_CITY_AUDIT, READ_INSTITUTION_AUDIT, allow
from tenants.routing import institution_blueprint, municipality_blueprint

inst_bp = institution_blueprint("audit", __name__, "/audit")
city_bp = municipality_blueprint("city_audit", __name__, "/audit")


@inst_bp.route("/")
@allow(READ_INSTITUTION_AUDIT)
def institution_log():
    return render("audit/log.html", "audit/_events.html", page=services.events_for_institution(g.institution.id, page_arg()))


@city_bp.route("/")
@allow(READ_CITY_AUDIT)
def city_log():
    return render("audit/log.html", "audit/_events.html", page=services.events_for_municipality(g.municipality.id, page_arg()))


def register(app) -> None:
    app.register_blueprint(inst_bp)
    app.register_blueprint(city_bp)
    nav_item("institution", "Журнал доступа", "audit.institution_log", order=900, group=Group.INSTITUTION)
    nav_item("municipality", "Журнал доступа", "city_audit.city_log", order=900, group=Group.CITY)
