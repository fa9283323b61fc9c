"""The platform admin's screens of regions (/admin/regions): create and rename a region, put a city into one."""
from __future__ import annotations

from flask import flash, redirect, request, url_for

from portal.admin import services
from portal.admin.blueprint import bp
from portal.errors import Invalid
from portal.extensions import db
from portal.web import form_dict, render
from tenants.access import ADMINISTER_PLATFORM, allow
from tenants.models import Municipality, Region
from tenants.queries import get_or_404


def regions_list() -> list[Region]:
    return list(db.session.execute(db.select(Region).order_by(Region.name)).scalars())


@bp.route("/regions", methods=["GET", "POST"])
@allow(ADMINISTER_PLATFORM)
def regions():
    errors, data, status = {}, {}, 200
    if request.method == "POST":
        data = form_dict("name", "slug")
        try:
            region = services.save_region(data)
        except Invalid as exc:
            db.session.rollback()
            errors, status = exc.fields, 422
        else:
            flash(f"Регион «{region.name}» создан.", "success")
            return redirect(url_for("admin.regions"))
    return render("admin/regions.html", "admin/_region_form.html", status=status, regions=regions_list(),
                  data=data, errors=errors, region=None)


@bp.route("/regions/<int:region_id>/edit", methods=["GET", "POST"])
@allow(ADMINISTER_PLATFORM)
def region_edit(region_id: int):
    region = get_or_404(Region, region_id, "Регион не найден.")
    errors, data, status = {}, {"name": region.name, "slug": region.slug}, 200
    if request.method == "POST":
        data = form_dict("name", "slug")
        try:
            services.save_region(data, region)
        except Invalid as exc:
            db.session.rollback()
            errors, status = exc.fields, 422
        else:
            flash("Регион сохранён.", "success")
            return redirect(url_for("admin.regions"))
    return render("admin/region_edit.html", "admin/_region_form.html", status=status, region=region, data=data,
                  errors=errors)


@bp.route("/municipalities/<int:municipality_id>/region", methods=["POST"])
@allow(ADMINISTER_PLATFORM)
def municipality_region(municipality_id: int):
    muni = get_or_404(Municipality, municipality_id, "Муниципалитет не найден.")
    try:
        services.set_municipality_region(muni, request.form.get("region_id"))
    except Invalid as exc:
        db.session.rollback()
        flash(exc.fields.get("region_id", "Выберите регион."), "danger")
    else:
        flash(f"{muni.name}: регион сохранён.", "success")
    return redirect(url_for("admin.municipalities"))
