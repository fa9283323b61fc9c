"""Landing pages."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, g, redirect
from flask_login import current_user

from portal.cabinet.services import dashboard
from portal.cabinet.views import render_mine
from portal.home import services
from portal.home.desk import coordinator_desk
from portal.web import render
from tenants.access import AUTHENTICATED, OVERSEE_MENTORING, VIEW_CITY, VIEW_INSTITUTION, allow, can
from tenants.routing import institution_blueprint, municipality_blueprint

bp = Blueprint("home", __name__)
inst_bp = institution_blueprint("institution", __name__)
city_bp = municipality_blueprint("city", __name__)


@bp.route("/")
@allow(AUTHENTICATED)
def index():
    places = services.places_of(current_user)
    if len(places) == 1:
        return redirect(places[0].url)
    return render("home/index.html", places=places)


@inst_bp.route("/", endpoint="home")
@allow(VIEW_INSTITUTION)
def institution_home():
    if not can(OVERSEE_MENTORING):
        return render_mine()  # a mentor's or mentee's front page is their own mentoring
    return render("home/institution.html", board=dashboard(), today=date.today())


@city_bp.route("/", endpoint="home")
@allow(VIEW_CITY)
def city_home():
    return render("home/municipality.html", city_desk=coordinator_desk(g.municipality))


def register(app) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(inst_bp)
    app.register_blueprint(city_bp)
