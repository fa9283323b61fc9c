"""The coordinator's indicators: figures per institution and for the city by period, trends, comparison, the
«recompute now» button with progress polled over HTMX, XLSX and DOCX reports; the institution's own report."""
from __future__ import annotations

from datetime import date, datetime

from flask import Response, g, request

from portal.documents.responses import docx_response
from portal.documents.xlsx import XLSX_MIME, to_bytes
from portal.extensions import db
from portal.jobs import services as jobs
from portal.navigation import Group, nav_item
from portal.roadmap import reports
from portal.periods import academic_year_choices, current_quarter, period_label, quarter_choices
from portal.roadmap.indicators import FIGURES, bounds, city_totals, compute, quarters
from portal.roadmap.models import Snapshot
from portal.web import render
from tenants.access import EDIT_MENTORING, READ_CITY_INDICATORS, READ_INSTITUTION_REPORTING, allow
from tenants.models import Institution
from tenants.queries import institution_ids_of, institutions_of
from tenants.routing import institution_blueprint, municipality_blueprint

city_bp = municipality_blueprint("indicators", __name__, "/indicators")
inst_bp = institution_blueprint("inst_indicators", __name__, "/indicators")
TREND = ["mentors", "mentees", "groups", "programs_active", "items_overdue", "tasks_overdue"]


FIRST_YEAR = 2022   # the first roadmap's year: no indicators before it


def _period() -> str:
    """The period asked for, or the quarter in progress (on 01.12.2026: IV квартал 2026)."""
    period = request.args.get("period") or request.form.get("period") or current_quarter(date.today())
    bounds(period)
    return period


def period_options(today: date | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The select's groups: the quarters up to the one in progress, then the academic years."""
    today = today or date.today()
    now = current_quarter(today)
    return [("Кварталы", [(c, w) for c, w in quarter_choices(FIRST_YEAR, today.year) if c <= now]),
            ("Учебные годы", academic_year_choices(FIRST_YEAR, today.year if today.month >= 9 else today.year - 1))]


def _snapshots(period: str) -> list[Snapshot]:
    return list(db.session.execute(db.select(Snapshot).where(Snapshot.period == period)).scalars())


def _rows(period: str) -> list[tuple[Institution, dict | None, datetime | None]]:
    by_inst = {s.institution_id: s for s in _snapshots(period)}
    institutions = institutions_of(g.municipality)
    return [(i, by_inst[i.id].figures if i.id in by_inst else None, by_inst[i.id].computed_at if i.id in by_inst else None)
            for i in institutions]


@city_bp.route("")
@allow(READ_CITY_INDICATORS)
def index():
    period = _period()
    rows = _rows(period)
    year = int(period[:4])
    trend_periods = quarters(f"{year - 1}-Q1", f"{year}-Q4")
    snaps = db.session.execute(db.select(Snapshot).where(Snapshot.period.in_(trend_periods))).scalars().all()
    trend = {p: city_totals([s for s in snaps if s.period == p]) for p in trend_periods
             if any(s.period == p for s in snaps)}
    return render("roadmap/indicators.html", period=period, rows=rows, figures=FIGURES, options=period_options(),
                  city_total=city_totals([s for s in _snapshots(period)]),
                  chart={"labels": [period_label(p) for p in trend], "series": [{"label": FIGURES[k], "data": [trend[p][k] for p in trend]}
                                                           for k in TREND]},
                  compare={"labels": [i.short_name for i, f, _ in rows if f],
                           "series": [{"label": FIGURES[k], "data": [f[k] for _, f, _ in rows if f]}
                                      for k in ("mentors", "mentees", "young_with_mentor")]})


@city_bp.route("/recompute", methods=["POST"])
@allow(READ_CITY_INDICATORS)
def recompute():
    period = _period()
    job = jobs.submit("aggregation.fan_out", period, g.municipality.id, municipality_id=g.municipality.id)
    db.session.commit()   # the job is in the outbox: a dead broker delays it, never loses it
    return render("roadmap/_progress.html", **_progress(job.id))


def _progress(job_id: int) -> dict:
    job = jobs.city_job(job_id)
    period = job.args[0]
    total = len(institution_ids_of([g.municipality.id]))
    done = db.session.execute(db.select(db.func.count(Snapshot.id)).where(
        Snapshot.period == period, Snapshot.computed_at >= job.created_at)).scalar_one()
    state = jobs.progress(job)
    out = {"period": period, "total": total, "done": min(done, total), "job": job, "state": state["status"],
           "finished": state["finished"]}
    if state["finished"]:   # the table of the new figures goes with the last answer (swapped in out of band)
        out.update(rows=_rows(period), figures=FIGURES, city_total=city_totals(_snapshots(period)))
    return out


@city_bp.route("/jobs/<int:job_id>")
@allow(READ_CITY_INDICATORS)
def progress(job_id: int):
    return render("roadmap/_progress.html", **_progress(job_id))


@city_bp.route("/jobs/<int:job_id>/retry", methods=["POST"])
@allow(READ_CITY_INDICATORS)
def retry(job_id: int):
    job = jobs.retry(jobs.city_job(job_id))
    db.session.commit()
    return render("roadmap/_progress.html", **_progress(job.id))


@city_bp.route("/indicators.xlsx")
@allow(READ_CITY_INDICATORS)
def export():
    period = _period()
    rows = [(i.short_name, f) for i, f, _ in _rows(period) if f]
    wb = reports.report_xlsx(period, rows, city_totals(_snapshots(period)))
    return Response(to_bytes(wb), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f"attachment; filename=indicators-{period}.xlsx"})


@city_bp.route("/report.docx")
@allow(READ_CITY_INDICATORS)
def city_report():
    period = _period()
    rows = [(i.short_name, f) for i, f, _ in _rows(period) if f]
    data = reports.report_docx(f"Управление образования, {g.municipality.name}", period,
                               city_totals(_snapshots(period)), rows, signer="Начальник управления образования")
    return docx_response(data, f"report-{period}.docx")


@inst_bp.route("/report.docx")
@allow(READ_INSTITUTION_REPORTING)
def institution_report():
    period = _period()
    snap = db.session.execute(db.select(Snapshot).where(Snapshot.period == period)).scalar_one_or_none()
    # Without a snapshot yet (the quarter has just ended), the head still gets the report, from live data.
    figures = snap.figures if snap is not None else compute(period)
    data = reports.report_docx(g.institution.full_name, period, figures, signer=f"Руководитель {g.institution.short_name}")
    return docx_response(data, f"report-{period}.docx")


@inst_bp.route("/report.xlsx")
@allow(READ_INSTITUTION_REPORTING)
def institution_xlsx():
    period = _period()
    snap = db.session.execute(db.select(Snapshot).where(Snapshot.period == period)).scalar_one_or_none()
    wb = reports.report_xlsx(period, [(g.institution.short_name, snap.figures if snap else compute(period))])
    return Response(to_bytes(wb), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f"attachment; filename=indicators-{period}.xlsx"})


@inst_bp.route("")
@allow(READ_INSTITUTION_REPORTING)
def institution_index():
    snaps = list(db.session.execute(db.select(Snapshot).order_by(Snapshot.period.desc())).scalars())
    return render("roadmap/institution_indicators.html", snapshots=snaps, figures=FIGURES)


def register(app) -> None:
    app.register_blueprint(city_bp)
    app.register_blueprint(inst_bp)
    nav_item("municipality", "Показатели", "indicators.index", order=30, group=Group.REPORTING)
    nav_item("institution", "Показатели", "inst_indicators.institution_index", order=75, shown_to=EDIT_MENTORING,
             group=Group.REPORTING)
