"""The annual report in the JSON API: the institution generates, comments and submits; the city accepts or returns
and downloads its analysis — the same services, rules and Russian messages as the pages."""
from __future__ import annotations

from datetime import date

from flask import g, jsonify, request
from flask_login import current_user

from portal.annual import services
from portal.annual.docx import render_analysis, render_report
from portal.annual.models import ReportState
from portal.api import base
from portal.api.serializers import stamp
from portal.api.schemas import ACADEMIC_YEAR, DAY, INT, STAMP, STR, array, enum, obj, ref, strict, text
from portal.documents.docx_layout import DOCX_MIME
from portal.documents.responses import docx_response
from portal.extensions import csrf
from portal.mentoring.signing import signer_defaults
from portal.years.services import check_year, year_of
from tenants.access import READ_ANNUAL_REPORT, REVIEW_ANNUAL_REPORTS, WRITE_ANNUAL_REPORT, allow

bp = base.api_institution_blueprint("annual_api", __name__, "/annual-reports")
city_bp = base.api_municipality_blueprint("annual_city_api", __name__, "/annual-reports")


def report_json(r) -> dict:
    return {"id": r.id, "institution_id": r.institution_id, "institution": r.institution.short_name,
            "academic_year": r.academic_year, "state": r.state.value, "state_label": r.state.label,
            "as_of": r.as_of.isoformat(), "due_date": r.due_date.isoformat(), "figures": r.figures or {},
            "comments": r.comments or {}, "sections": r.sections or {},
            "needs_comment": services.needs_comment(r.figures or {}),
            "submitted_at": stamp(r.submitted_at), "reviewed_at": stamp(r.reviewed_at),
            "review_comment": r.review_comment,
            "events": [{"action": e.action, "comment": e.comment, "at": stamp(e.at)} for e in r.events]}


def _year_arg() -> str:
    raw = request.args.get("year")
    return check_year(raw) if raw else year_of(date.today())


@bp.get("")
@allow(READ_ANNUAL_REPORT)
def list_reports():
    rows = services.reports()
    return jsonify({"items": [report_json(r) for r in rows], "total": len(rows)})


@bp.post("")
@allow(WRITE_ANNUAL_REPORT)
def generate():
    data = base.json_body()
    existed = services.report_for(str(data.get("academic_year") or "")) is not None
    row = services.generate(str(data.get("academic_year") or ""), current_user.id)
    return jsonify(report_json(row)), 200 if existed else 201


@bp.get("/<int:report_id>")
@allow(READ_ANNUAL_REPORT)
def get_report(report_id: int):
    return jsonify(report_json(services.report(report_id)))


@bp.patch("/<int:report_id>")
@allow(WRITE_ANNUAL_REPORT)
def save_texts(report_id: int):
    data = base.json_body()
    return jsonify(report_json(services.save_texts(services.report(report_id), data.get("comments"),
                                                   data.get("sections"))))


@bp.post("/<int:report_id>/submit")
@allow(WRITE_ANNUAL_REPORT)
def submit(report_id: int):
    return jsonify(report_json(services.submit(services.report(report_id), current_user.id)))


@bp.get("/<int:report_id>/report.docx")
@allow(READ_ANNUAL_REPORT)
def report_docx(report_id: int):
    row = services.report(report_id)
    return docx_response(render_report(row, g.institution, signer_defaults(g.institution)),
                         f"annual-report-{row.academic_year}.docx")


@city_bp.get("")
@allow(REVIEW_ANNUAL_REPORTS)
def city_list():
    year = _year_arg()
    rows = services.city_reports(g.municipality.id, year)
    return jsonify({"academic_year": year, "due_date": services.due_date(year).isoformat(), "items": [
        {"institution_id": inst.id, "institution": inst.short_name, "slug": inst.slug,
         "report": report_json(r) if r is not None else None} for inst, r in rows]})


@city_bp.post("/<int:report_id>/accept")
@allow(REVIEW_ANNUAL_REPORTS)
def accept(report_id: int):
    return jsonify(report_json(services.accept(services.report(report_id), current_user.id)))


@city_bp.post("/<int:report_id>/return")
@allow(REVIEW_ANNUAL_REPORTS)
def return_report(report_id: int):
    row = services.report(report_id)  # another city's report is a 404 before its body is read
    data = base.json_body() if base.has_body() else {}
    return jsonify(report_json(services.return_with_remarks(row, data.get("comment") or "", current_user.id)))


@city_bp.get("/analysis.docx")
@allow(REVIEW_ANNUAL_REPORTS)
def analysis_docx():
    year = _year_arg()
    return docx_response(render_analysis(services.analysis(g.municipality.id, year), g.municipality),
                         f"analysis-{year}.docx")


_figures = {"type": "object", "additionalProperties": {"type": ["number", "null", "object"]}}
_texts = {"type": ["object", "null"], "additionalProperties": text(10000)}
base.OPENAPI_SCHEMAS.update({
    "AnnualReportEvent": obj(action=STR, comment=STR, at=STAMP),
    "AnnualReport": obj(id=INT, institution_id=INT, institution=STR, academic_year=STR,
                        state=enum(ReportState._value2member_map_), state_label=STR, as_of=DAY, due_date=DAY,
                        figures=_figures, comments={"type": "object"}, sections={"type": "object"},
                        needs_comment={"type": "object"}, submitted_at=STAMP, reviewed_at=STAMP, review_comment=STR,
                        events=array(ref("AnnualReportEvent"))),
    "AnnualReportGenerate": strict(["academic_year"], academic_year=ACADEMIC_YEAR),
    "AnnualReportTexts": strict(comments=_texts, sections=_texts),
    "AnnualReportReturn": strict(["comment"], comment=text(10000)),
    "CityAnnualReports": obj(academic_year=STR, due_date=DAY, items=array(obj(
        institution_id=INT, institution=STR, slug=STR, report={"oneOf": [ref("AnnualReport"), {"type": "null"}]}))),
})
_tag = "annual report"
_year = [{"name": "year", "in": "query", "schema": {"type": "string", "maxLength": 9}}]
base.document("/i/{inst_slug}/annual-reports", "get", "Годовые отчёты организации", response="AnnualReport",
              list_response=True, tag=_tag)
base.document("/i/{inst_slug}/annual-reports", "post", "Сформировать (или пересчитать) отчёт за учебный год",
              body="AnnualReportGenerate", response="AnnualReport", tag=_tag, status="201")
_generate = base.OPENAPI_PATHS[base.API_PREFIX + "/i/{inst_slug}/annual-reports"]["post"]["responses"]
_generate["200"] = {**_generate["201"], "description": "Отчёт уже был: показатели пересчитаны"}
base.document("/i/{inst_slug}/annual-reports/{report_id}", "get", "Отчёт", response="AnnualReport", tag=_tag)
base.document("/i/{inst_slug}/annual-reports/{report_id}", "patch", "Комментарии к показателям и разделы",
              body="AnnualReportTexts", response="AnnualReport", tag=_tag)
base.document("/i/{inst_slug}/annual-reports/{report_id}/submit", "post", "Отправить отчёт в управление образования",
              response="AnnualReport", tag=_tag)
base.document("/i/{inst_slug}/annual-reports/{report_id}/report.docx", "get", "Отчёт в формате DOCX", tag=_tag)
base.binary_response("/i/{inst_slug}/annual-reports/{report_id}/report.docx", DOCX_MIME, "Файл отчёта")
base.document("/m/{muni_slug}/annual-reports", "get", "Кто представил отчёт за учебный год", params=_year,
              response="CityAnnualReports", tag=_tag)
base.document("/m/{muni_slug}/annual-reports/{report_id}/accept", "post", "Принять отчёт", response="AnnualReport",
              tag=_tag)
base.document("/m/{muni_slug}/annual-reports/{report_id}/return", "post", "Вернуть отчёт с замечаниями",
              body="AnnualReportReturn", body_required=False, response="AnnualReport", tag=_tag)
base.document("/m/{muni_slug}/annual-reports/analysis.docx", "get", "Анализ результатов за учебный год (п. 30)",
              params=_year, tag=_tag)
base.binary_response("/m/{muni_slug}/annual-reports/analysis.docx", DOCX_MIME, "Файл анализа")


def register_api(app) -> None:
    csrf.exempt(bp)
    csrf.exempt(city_bp)
    app.register_blueprint(bp)
    app.register_blueprint(city_bp)
