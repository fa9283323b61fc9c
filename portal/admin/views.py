"""Admin screens (/admin, platform admin) and the coordinator's screens (/m/<city>/admin): institutions, users,
invitations and role grants. Both areas share templates; `area` tells them which endpoints to call."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_login import current_user

from portal.admin import services
from portal.admin.blueprint import bp
from portal.admin.regions import regions_list   # (importing regions adds its routes to bp)
from portal.errors import Conflict, Forbidden, Invalid
from portal.extensions import db
from portal.mail import OutboxMessage
from portal.navigation import Group, nav_item
from portal.web import form_dict, page_arg, render
from tenants.access import ADMINISTER_CITY, ADMINISTER_PLATFORM, GRANTABLE_BY_COORDINATOR, ROLE_LABELS, Role, allow
from tenants.models import Institution, InstitutionKind, Municipality
from tenants.queries import find, institutions_of
from tenants.routing import municipality_blueprint

city = municipality_blueprint("city_admin", __name__, "/admin")
INSTITUTION_FIELDS = ("full_name", "short_name", "kind", "slug", "address", "site_url", "mentor_capacity")
KINDS = [(k.value, k.label) for k in InstitutionKind]


def _ctx(area: str, **extra) -> dict:
    municipality = g.get("municipality") if area == "city" else None
    grantable = GRANTABLE_BY_COORDINATOR if area == "city" else set(Role)
    roles = [(r.value, ROLE_LABELS[r]) for r in Role if r in grantable]
    return {"area": area, "ep": area_endpoints(area), "kinds": KINDS, "roles": roles,
            "scope_municipality": municipality, **extra}


def area_endpoints(area: str) -> dict:
    names = ("institutions", "institution_edit", "users", "user", "user_roles", "user_revoke")
    if area == "admin":
        return {n: f"admin.{n}" for n in names + ("user_active", "user_sessions")}
    return {n: f"city_admin.{n}_city" for n in names}


def _institutions(area: str):
    if area == "city":
        return institutions_of(g.municipality)
    return db.session.execute(db.select(Institution).order_by(Institution.short_name)).scalars().all()


def _municipalities():
    return db.session.execute(db.select(Municipality).order_by(Municipality.name)).scalars().all()


# --- institutions ---------------------------------------------------------------------------------------------

def _institutions_page(area: str):
    errors, data = {}, {"kind": "dou", "mentor_capacity": 2}
    status = 200
    if request.method == "POST":
        data = form_dict(*INSTITUTION_FIELDS, "municipality_id")
        try:
            if area == "city":
                muni = g.municipality
            else:
                muni = find(Municipality, data.get("municipality_id"))
                if muni is None:
                    raise Invalid("municipality_id", "Выберите муниципалитет.")
            inst = services.create_institution(muni, data)
        except Invalid as exc:
            errors, status = exc.fields, 422
        else:
            flash(f"Организация «{inst.short_name}» создана.", "success")
            return redirect(url_for(area_endpoints(area)["institutions"]))
    return render("admin/institutions.html", "admin/_institution_form.html", status=status,
                  **_ctx(area, institutions=_institutions(area), municipalities=_municipalities(), data=data,
                         errors=errors, institution=None))


def _institution_edit(area: str, institution_id: int):
    inst = services.institution_in(g.municipality if area == "city" else None, institution_id)
    errors, status = {}, 200
    data = {f: getattr(inst, f) for f in INSTITUTION_FIELDS}
    data["kind"] = inst.kind.value
    if request.method == "POST":
        data = form_dict(*INSTITUTION_FIELDS)
        try:
            services.update_institution(inst, data)
        except Invalid as exc:
            errors, status = exc.fields, 422
        else:
            flash("Изменения сохранены.", "success")
            return redirect(url_for(area_endpoints(area)["institutions"]))
    return render("admin/institution_edit.html", "admin/_institution_form.html", status=status,
                  **_ctx(area, institution=inst, data=data, errors=errors, municipalities=[]))


@bp.route("/institutions", methods=["GET", "POST"])
@allow(ADMINISTER_PLATFORM)
def institutions():
    return _institutions_page("admin")


@bp.route("/institutions/<int:institution_id>/edit", methods=["GET", "POST"])
@allow(ADMINISTER_PLATFORM)
def institution_edit(institution_id: int):
    return _institution_edit("admin", institution_id)


@city.route("/institutions", methods=["GET", "POST"])
@allow(ADMINISTER_CITY)
def institutions_city():
    return _institutions_page("city")


@city.route("/institutions/<int:institution_id>/edit", methods=["GET", "POST"])
@allow(ADMINISTER_CITY)
def institution_edit_city(institution_id: int):
    return _institution_edit("city", institution_id)


@bp.route("/municipalities", methods=["GET", "POST"])
@allow(ADMINISTER_PLATFORM)
def municipalities():
    errors, data, status = {}, {}, 200
    if request.method == "POST":
        data = form_dict("name", "slug", "region_id")
        try:
            muni = services.create_municipality(data)
        except Invalid as exc:
            errors, status = exc.fields, 422
        else:
            flash(f"Муниципалитет «{muni.name}» создан.", "success")
            return redirect(url_for("admin.municipalities"))
    regions = regions_list()
    return render("admin/municipalities.html", "admin/_municipality_form.html", status=status,
                  municipalities=_municipalities(), data=data, errors=errors, regions=regions,
                  region_options=[(r.id, r.name) for r in regions])


# --- users and roles --------------------------------------------------------------------------------------------

def _scope(area):
    return g.municipality if area == "city" else None


def _users_page(area: str):
    errors, data, status = {}, {}, 200
    if request.method == "POST":
        data = form_dict("email", "full_name", "role", "institution_id")
        try:
            user = services.create_and_invite(current_user, data, _scope(area), area == "city")
        except Invalid as exc:
            errors, status = exc.fields, 422
        else:
            flash(f"Учётная запись {user.email} создана, приглашение отправлено.", "success")
            if request.headers.get("HX-Request"):
                data, errors = {}, {}
            else:
                return redirect(url_for(area_endpoints(area)["users"]))
    q = request.args.get("q", "").strip()[:100]
    return render("admin/users.html", "admin/_user_form.html" if request.method == "POST" else "admin/_users_table.html",
                  status=status, **_ctx(area, page=services.users_page(q, page_arg(), _scope(area)), q=q, data=data,
                                        errors=errors, institutions=_institutions(area)))


def _user_page(area: str, user_id: int, errors=None, status=200):
    user = services.user_in(_scope(area), user_id)
    return render("admin/user.html", "admin/_roles.html", status=status,
                  **_ctx(area, user=user, errors=errors or {}, institutions=_institutions(area),
                         municipalities=_municipalities()))


def _grant(area: str, user_id: int):
    user = services.user_in(_scope(area), user_id)
    data = form_dict("role", "institution_id", "municipality_id")
    muni = _scope(area)
    if area == "admin" and data.get("municipality_id"):
        muni = find(Municipality, data["municipality_id"])
    try:
        services.grant(current_user, user, data["role"], data["institution_id"], muni, area == "city")
    except Invalid as exc:
        return _user_page(area, user_id, exc.fields, 422)
    except Forbidden:
        return _user_page(area, user_id, {"role": "Эту роль может выдать только администратор платформы."}, 403)
    except Conflict as exc:
        return _user_page(area, user_id, {"role": exc.message}, 422)
    return _user_page(area, user_id)


def _revoke(area: str, user_id: int, binding_id: int):
    user = services.user_in(_scope(area), user_id)
    services.revoke(user, binding_id, _scope(area), area == "city")
    return _user_page(area, user_id)


@bp.route("/users", methods=["GET", "POST"])
@allow(ADMINISTER_PLATFORM)
def users():
    return _users_page("admin")


@bp.route("/users/<int:user_id>")
@allow(ADMINISTER_PLATFORM)
def user(user_id: int):
    return _user_page("admin", user_id)


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
@allow(ADMINISTER_PLATFORM)
def user_roles(user_id: int):
    return _grant("admin", user_id)


@bp.route("/users/<int:user_id>/roles/<int:binding_id>/revoke", methods=["POST"])
@allow(ADMINISTER_PLATFORM)
def user_revoke(user_id: int, binding_id: int):
    return _revoke("admin", user_id, binding_id)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@allow(ADMINISTER_PLATFORM)
def user_active(user_id: int):
    user = services.user_in(None, user_id)
    services.set_active(user, request.form.get("active") == "1")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.route("/users/<int:user_id>/sessions", methods=["POST"])
@allow(ADMINISTER_PLATFORM)
def user_sessions(user_id: int):
    user = services.user_in(None, user_id)
    services.terminate_sessions(user)
    flash("Все сеансы пользователя завершены.", "info")
    return redirect(url_for("admin.user", user_id=user.id))


@city.route("/users", methods=["GET", "POST"])
@allow(ADMINISTER_CITY)
def users_city():
    return _users_page("city")


@city.route("/users/<int:user_id>")
@allow(ADMINISTER_CITY)
def user_city(user_id: int):
    return _user_page("city", user_id)


@city.route("/users/<int:user_id>/roles", methods=["POST"])
@allow(ADMINISTER_CITY)
def user_roles_city(user_id: int):
    return _grant("city", user_id)


@city.route("/users/<int:user_id>/roles/<int:binding_id>/revoke", methods=["POST"])
@allow(ADMINISTER_CITY)
def user_revoke_city(user_id: int, binding_id: int):
    return _revoke("city", user_id, binding_id)


@bp.route("/outbox")
@allow(ADMINISTER_PLATFORM)
def outbox():
    stmt = db.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    return render("admin/outbox.html", page=db.paginate(stmt, page=page_arg(), per_page=25, error_out=False))


def register(app) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(city)
    nav_item("platform", "Организации", "admin.institutions", order=10, group=Group.PLATFORM)
    nav_item("platform", "Муниципалитеты", "admin.municipalities", order=20, group=Group.PLATFORM)
    nav_item("platform", "Регионы", "admin.regions", order=25, group=Group.PLATFORM)
    nav_item("platform", "Пользователи", "admin.users", order=30, group=Group.PLATFORM)
    nav_item("platform", "Исходящая почта", "admin.outbox", order=40, group=Group.PLATFORM)
    nav_item("municipality", "Организации", "city_admin.institutions_city", order=80, group=Group.CITY)
    nav_item("municipality", "Пользователи и роли", "city_admin.users_city", order=81, group=Group.CITY)
