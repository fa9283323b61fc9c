"""The academic year page of an institution: what closing the year will carry over, and «Закрыть учебный год»."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_login import current_user

from portal.exceptions import Invalid
from portal.navigation import Group, nav_item
from portal.web import render
from portal.mentoring import years as services
from portal.years.services import check_year, closed_row, closed_years, next_year
from tenants.access import CLOSE_ACADEMIC_YEAR, READ_MENTORING, allow
from tenants.routing import institution_blueprint

bp = institution_blueprint("years", __name__, "/years")


def _ctx(year: str, **extra) -> dict:
    return {"years": services.years_with_data(), "selected": year, "closed_years": closed_years(),
            "preview": services.close_preview(year), "closed": closed_row(year), "errors": {}, **extra}


@bp.get("")
@allow(READ_MENTORING)
def index():
    return render("years/index.html", **_ctx(services.selected_year(request.args.get("year"))))


@bp.post("/close")
@allow(CLOSE_ACADEMIC_YEAR)
def close():
    year = check_year(request.form.get("year", ""))
    try:
        row = services.close_year(g.institution, year, current_user.id)
    except Invalid as exc:
        return render("years/index.html", status=422, **_ctx(year, errors=exc.fields))
    flash(f"Учебный год {year} закрыт: перенесено пар (групп) — {row.carried_groups}, программ — "
          f"{row.carried_programs}." + (" Подготовлен проект приказа на следующий год." if row.next_order_id else ""),
          "success")
    return redirect(url_for("years.index", year=next_year(year)))


def register(app) -> None:   # by portal.mentoring.views.register
    app.register_blueprint(bp)
    nav_item("institution", "Учебный год", "years.index", order=90, group=Group.INSTITUTION)
