"""Pages of the annual report: the institution's (generate, comment, submit) and the city's (who has submitted,
accept or return, the analysis of the year)."""
from __future__ import annotations

from datetime import date

from flask import Response, flash, g, redirect, request, url_for
from flask_login import current_user

from portal.annual import services
from portal.annual.api import register_api
from portal.annual.docx import analysis_workbook, render_analysis, render_report
from portal.documents.responses import docx_response
from portal.documents.xlsx import XLSX_MIME, to_bytes
from portal.exceptions import Invalid
from portal.mentoring.signing import signer_defaults
from portal.navigation import Group, nav_item
from portal.roadmap.indicators import FIGURES
from portal.web import render
from portal.mentoring.years import selected_year, years_with_data
from portal.years.services import check_year, year_of
from tenants.access import READ_ANNUAL_REPORT, REVIEW_ANNUAL_REPORTS, WRITE_ANNUAL_REPORT, allow
from tenants.routing import institution_blueprint, municipality_blueprint

bp = institution_blueprint("annual", __name__, "/annual-report")
city_bp = municipality_blueprint("annual_city", __name__, "/annual-reports")


def _ctx(year: str, **extra) -> dict:
    row = services.report_for(year)
    return {"year": year, "years": years_with_data(), "report": row, "figures": FIGURES, "sections": services.SECTIONS,
            "asks": services.needs_comment(row.figures) if row else {}, "due": services.due_date(year),
            "today": date.today(), "errors": {}, **extra}


@bp.get("")
@allow(READ_ANNUAL_REPORT)
def index():
    return render("annual/institution.html", **_ctx(selected_year(request.args.get("year"))))


@bp.post("/generate")
@allow(WRITE_ANNUAL_REPORT)
def generate():
    year = check_year(request.form.get("year", ""), "academic_year")
    try:
        services.generate(year, current_user.id)
    except Invalid as exc:
        return render("annual/institution.html", status=422, **_ctx(year, errors=exc.fields))
    flash("Показатели отчёта рассчитаны по данным организации.", "success")
    return redirect(url_for("annual.index", year=year))


def _texts(form) -> tuple[dict, dict]:
    comments = {k[len("comment_"):]: v for k, v in form.items() if k.startswith("comment_")}
    sections = {k[len("section_"):]: v for k, v in form.items() if k.startswith("section_")}
    return comments, sections


@bp.post("/<int:report_id>/texts")
@allow(WRITE_ANNUAL_REPORT)
def save_texts(report_id: int):
    row = services.report(report_id)
    try:
        services.save_texts(row, *_texts(request.form))
    except Invalid as exc:
        return render("annual/institution.html", status=422, **_ctx(row.academic_year, errors=exc.fields))
    flash("Комментарии и разделы сохранены.", "success")
    return redirect(url_for("annual.index", year=row.academic_year))


@bp.post("/<int:report_id>/submit")
@allow(WRITE_ANNUAL_REPORT)
def submit(report_id: int):
    row = services.report(report_id)
    try:
        services.save_texts(row, *_texts(request.form))
        services.submit(row, current_user.id)
    except Invalid as exc:
        return render("annual/institution.html", status=422, **_ctx(row.academic_year, errors=exc.fields))
    flash("Отчёт отправлен в управление образования.", "success")
    return redirect(url_for("annual.index", year=row.academic_year))


@bp.get("/<int:report_id>/report.docx")
@allow(READ_ANNUAL_REPORT)
def report_docx(report_id: int):
    row = services.report(report_id)
    return docx_response(render_report(row, g.institution, signer_defaults(g.institution)),
                         f"annual-report-{row.academic_year}.docx")


# --- the city ---------------------------------------------------------------------------------------------------

def _city_year() -> str:
    raw = request.args.get("year")
    return check_year(raw) if raw else year_of(date.today())


def _city_ctx(year: str, **extra) -> dict:
    rows = services.city_reports(g.municipality.id, year)
    return {"year": year, "rows": rows, "due": services.due_date(year),
            "sent": sum(1 for _, r in rows if r is not None and r.state in services.IN_CITY),
            "today": date.today(), "errors": {}, "figures": FIGURES, "sections": services.SECTIONS,
            "years": [f"{y}-{y + 1}" for y in range(date.today().year, 2021, -1)], **extra}


@city_bp.get("")
@allow(REVIEW_ANNUAL_REPORTS)
def city_index():
    return render("annual/city.html", **_city_ctx(_city_year()))


@city_bp.get("/<int:report_id>")
@allow(REVIEW_ANNUAL_REPORTS)
def report_page(report_id: int):
    row = services.report(report_id)
    return render("annual/city_report.html", report=row, figures=FIGURES, sections=services.SECTIONS, errors={},
                  asks=services.needs_comment(row.figures))


@city_bp.get("/<int:report_id>/report.docx")
@allow(REVIEW_ANNUAL_REPORTS)
def city_report_docx(report_id: int):
    row = services.report(report_id)
    return docx_response(render_report(row, row.institution, signer_defaults(row.institution)),
                         f"annual-report-{row.id}.docx")


@city_bp.post("/<int:report_id>/accept")
@allow(REVIEW_ANNUAL_REPORTS)
def accept(report_id: int):
    row = services.report(report_id)
    try:
        services.accept(row, current_user.id)
    except Invalid as exc:
        flash(exc.message, "danger")
    else:
        flash(f"Отчёт {row.institution.short_name} принят.", "success")
    return redirect(url_for("annual_city.city_index", year=row.academic_year))


@city_bp.post("/<int:report_id>/return")
@allow(REVIEW_ANNUAL_REPORTS)
def return_report(report_id: int):
    row = services.report(report_id)
    try:
        services.return_with_remarks(row, request.form.get("review_comment", ""), current_user.id)
    except Invalid as exc:
        return render("annual/city_report.html", status=422, report=row, figures=FIGURES,
                      sections=services.SECTIONS, errors=exc.fields, asks=services.needs_comment(row.figures))
    flash(f"Отчёт {row.institution.short_name} возвращён с замечаниями.", "success")
    return redirect(url_for("annual_city.city_index", year=row.academic_year))


@city_bp.get("/analysis.docx")
@allow(REVIEW_ANNUAL_REPORTS)
def analysis_docx():
    year = _city_year()
    return docx_response(render_analysis(services.analysis(g.municipality.id, year), g.municipality),
                         f"analysis-{year}.docx")


@city_bp.get("/analysis.xlsx")
@allow(REVIEW_ANNUAL_REPORTS)
def analysis_xlsx():
    year = _city_year()
    return Response(to_bytes(analysis_workbook(services.analysis(g.municipality.id, year))), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f"attachment; filename=analysis-{year}.xlsx"})


def register(app) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(city_bp)
    register_api(app)
    nav_item("institution", "Годовой отчёт", "annual.index", order=85, group=Group.REPORTING)
    nav_item("municipality", "Годовые отчёты", "annual_city.city_index", order=35, group=Group.REPORTING)
