"""Roadmap pages: the coordinator's roadmaps, activities and rules, task generation, the status matrix and the
review of evidence (under /m/<city>/roadmap); an institution's own tasks and evidence (under /i/<slug>/roadmap)."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from flask import Response, flash, g, redirect, request, url_for
from flask_login import current_user

from portal import evidence as portal_evidence
from portal.documents.xlsx import XLSX_MIME, to_bytes
from portal.errors import Invalid
from portal.extensions import db
from portal.navigation import Group, nav_item
from portal.programs.services import program_ended
from portal.roadmap import api, evidence, exports, generation, indicator_views, plan_dates, services, work_views
from portal.roadmap import matrix as matrix_rules
from portal.roadmap.deadlines import due_dates
from portal.roadmap.models import RESULT_TYPES, Level, TaskStatus
from portal.uploads.services import attachments_of, get_attachment, save_upload, send_attachment
from portal.web import form_dict, int_arg, render
from tenants.access import READ_INSTITUTION_REPORTING, REVIEW_CITY_TASKS, RUN_ROADMAP, SUBMIT_EVIDENCE, allow, can
from tenants.models import Institution
from tenants.queries import get_or_404
from tenants.routing import institution_blueprint, municipality_blueprint

city_bp = municipality_blueprint("roadmap_city", __name__, "/roadmap")
inst_bp = institution_blueprint("roadmap_inst", __name__, "/roadmap")


def _year() -> int:
    return int_arg("year", date.today().year, low=2000, high=2100, message="Год — числом от 2000 до 2100, например 2023.")


# --- the coordinator ---------------------------------------------------------------------------------------------

@city_bp.route("", methods=["GET", "POST"])
@allow(RUN_ROADMAP)
def index():
    errors, data = {}, {}
    if request.method == "POST":
        data = form_dict("source", "title", "first_year", "last_year")
        try:
            if data["source"] == "template":
                row = services.from_template(g.municipality.id)
            else:
                source = services.roadmap(int(data["source"])) if data["source"].isdigit() else None
                if source is None:
                    raise Invalid("source", "Выберите, на основе чего создать дорожную карту.")
                row = services.copy_roadmap(source, data["first_year"], data["last_year"], data["title"])
        except Invalid as exc:
            errors = exc.fields
        else:
            flash("Дорожная карта создана." + (f" Задайте сроки для мероприятий без правила: {len(services.flagged(row))}."
                                              if services.flagged(row) else ""), "success")
            return redirect(url_for("roadmap_city.page", roadmap_id=row.id))
    return render("roadmap/index.html", status=422 if errors else 200, roadmaps=services.roadmaps(), errors=errors,
                  data=data)


@city_bp.route("/import", methods=["POST"])
@allow(RUN_ROADMAP)
def import_file():
    data = form_dict("title", "first_year", "last_year")
    file = request.files.get("file")
    try:
        if file is None or not file.filename:
            raise Invalid("file", "Выберите файл XLSX или CSV.")
        row = services.import_roadmap(g.municipality.id, file.filename, file.read(), data["title"],
                                      data["first_year"], data["last_year"])
    except Invalid as exc:
        return render("roadmap/index.html", status=422, roadmaps=services.roadmaps(), errors={}, data={},
                      import_error=exc.message, import_rows=exc.rows, import_data=data)
    flash(f"Дорожная карта загружена: мероприятий — {len(row.activities)}"
          + (f", без распознанного срока — {len(services.flagged(row))}." if services.flagged(row) else "."), "success")
    return redirect(url_for("roadmap_city.page", roadmap_id=row.id))


def _page_ctx(row, **extra) -> dict:
    year = _year()
    return {"roadmap": row, "year": year, "years": list(range(row.first_year, row.last_year + 1)),
            "dues": {a.id: due_dates(a.parsed_rule, year, row.period) for a in row.activities},
            "levels": [(lv.value, lv.label) for lv in Level], "result_types": list(RESULT_TYPES.items()),
            "flagged": services.flagged(row), "errors": {}, "editing": None, **extra}


@city_bp.route("/<int:roadmap_id>")
@allow(RUN_ROADMAP)
def page(roadmap_id: int):
    return render("roadmap/page.html", **_page_ctx(services.roadmap(roadmap_id)))


@city_bp.route("/<int:roadmap_id>/activities/<int:activity_id>", methods=["POST"])
@allow(RUN_ROADMAP)
def edit_activity(roadmap_id: int, activity_id: int):
    row = services.roadmap(roadmap_id)
    a = services.activity(row, activity_id)
    data = form_dict("title", "deadline_text", "level", "result_text", "result_type")
    try:
        services.update_activity(a, data)
    except Invalid as exc:
        db.session.rollback()
        return render("roadmap/page.html", "roadmap/_activity.html", status=422, a=a,
                      **_page_ctx(row, errors={a.id: exc.fields}, editing=a.id))
    return render("roadmap/page.html", "roadmap/_activity.html", a=a, **_page_ctx(row))


@city_bp.route("/<int:roadmap_id>/tasks", methods=["POST"])
@allow(RUN_ROADMAP)
def generate(roadmap_id: int):
    row = services.roadmap(roadmap_id)
    try:
        year = int_arg("year", low=2000, high=2100, source=request.form, message="Укажите год от 2000 до 2100.")
        if year is None:
            raise ValueError("no year")
        created = services.generate_tasks(row, year)
    except (Invalid, ValueError) as exc:
        flash(exc.message if isinstance(exc, Invalid) else "Укажите год.", "danger")
    else:
        flash(f"Задачи учреждений на {year} год: создано {created}, существующие сохранены.", "success")
    return redirect(url_for("roadmap_city.matrix", roadmap_id=row.id, year=request.form.get("year", "")))


@city_bp.route("/<int:roadmap_id>/matrix")
@allow(RUN_ROADMAP)
def matrix(roadmap_id: int):
    row = services.roadmap(roadmap_id)
    year = _year()
    # Over a thousand cells: the URL prefixes are built once instead of a url_for per cell.
    task_url = url_for("roadmap_city.review", task_id=0).rsplit("/", 1)[0] + "/"
    cell_url = url_for("roadmap_city.matrix_cell", roadmap_id=row.id, activity_id=0, place_id=0).rsplit("/0/0", 1)[0] + "/"
    only = request.args.get("state", "")
    data = services.matrix(row, year)
    return render("roadmap/matrix.html", roadmap=row, year=year, years=list(range(row.first_year, row.last_year + 1)),
                  only=only, columns=data["columns"], grid=matrix_rules.grid(data, year, task_url, cell_url, only),
                  **_matrix_words())


def _matrix_words() -> dict:
    return {"labels": matrix_rules.LABELS, "symbols": matrix_rules.SYMBOLS, "colours": matrix_rules.COLOURS}


@city_bp.route("/<int:roadmap_id>/matrix/<int:activity_id>/<int:place_id>")
@allow(RUN_ROADMAP)
def matrix_cell(roadmap_id: int, activity_id: int, place_id: int):
    """The tasks of one cell of the matrix (an institution × an activity, × a quarter): loaded on demand."""
    row = services.roadmap(roadmap_id)
    activity = services.activity(row, activity_id)
    institution = get_or_404(Institution, place_id, "Организация не найдена.", municipality_id=g.municipality.id)
    year = _year()
    quarter = int_arg("quarter", 0, low=0, high=4, message="Квартал — числом от 0 (весь год) до 4.")
    return render("roadmap/matrix_cell.html", "roadmap/_matrix_cell.html", roadmap=row, year=year,
                  institution=institution, activity=activity, quarter=quarter,
                  quarter_label=matrix_rules.QUARTERS.get(quarter, ""), today=date.today(), **_matrix_words(),
                  tasks=matrix_rules.cell_tasks(row, year, institution.id, activity, quarter))


@city_bp.route("/<int:roadmap_id>/matrix.xlsx")
@allow(RUN_ROADMAP)
def matrix_xlsx(roadmap_id: int):
    row = services.roadmap(roadmap_id)
    year = _year()
    return Response(to_bytes(exports.matrix_workbook(row, year, services.matrix(row, year))), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f"attachment; filename=roadmap-{row.id}-{year}.xlsx"})


@city_bp.route("/<int:roadmap_id>/roadmap.xlsx")
@allow(RUN_ROADMAP)
def export(roadmap_id: int):
    row = services.roadmap(roadmap_id)
    return Response(to_bytes(exports.roadmap_workbook(row)), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f"attachment; filename=roadmap-{row.id}.xlsx"})


@city_bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@allow(REVIEW_CITY_TASKS)
def review(task_id: int):
    t = services.task(task_id)
    errors = {}
    if request.method == "POST":
        try:
            services.review(t, request.form.get("decision") == "accept", request.form.get("review_comment", ""),
                            current_user.id)
        except Invalid as exc:
            errors = exc.fields
        else:
            flash("Подтверждение принято." if t.status is TaskStatus.ACCEPTED else "Возвращено на доработку.", "success")
            return redirect(url_for("roadmap_city.matrix", roadmap_id=t.activity.roadmap_id,
                                    year=(t.due_date or date.today()).year))
    return render("roadmap/review.html", status=422 if errors else 200, task=t, errors=errors, today=date.today(),
                  files=attachments_of("roadmap_task", t.id), file_endpoint="roadmap_city.task_file")


@city_bp.route("/tasks/<int:task_id>/files/<int:file_id>", endpoint="task_file")
@allow(REVIEW_CITY_TASKS)
def review_file(task_id: int, file_id: int):
    t = services.task(task_id)
    return send_attachment(get_attachment(file_id, "roadmap_task", t.id))


# --- the institution ------------------------------------------------------------------------------------------------

@inst_bp.route("")
@allow(READ_INSTITUTION_REPORTING)
def tasks():
    year = _year()
    return render("roadmap/institution.html", groups=services.institution_tasks(year), today=date.today(), year=year,
                  years=sorted(set(services.task_years()) | {year}))


@inst_bp.get("/tasks/<int:task_id>")
@allow(READ_INSTITUTION_REPORTING)
def task(task_id: int):
    t = services.task(task_id)
    data = {"evidence_text": t.evidence_text, "evidence_link": t.evidence_link,
            "figures": "; ".join(f"{k}: {v}" for k, v in (t.figures or {}).items())}
    return _task_page(t, {}, data)


@inst_bp.post("/tasks/<int:task_id>")
@allow(SUBMIT_EVIDENCE)
def submit_task(task_id: int):
    t = services.task(task_id)
    data = form_dict("evidence_text", "evidence_link", "figures")
    files = [f for f in request.files.getlist("files") if f and f.filename]
    try:
        for f in files:
            save_upload(f, "roadmap_task", t.id, field="files", uploaded_by_id=current_user.id)
        services.submit(t, data, current_user.id, has_files=bool(files or attachments_of("roadmap_task", t.id)))
    except Invalid as exc:
        db.session.rollback()
        return _task_page(t, exc.fields, data)
    flash("Подтверждение отправлено координатору.", "success")
    return redirect(url_for("roadmap_inst.tasks"))


def _task_page(t, errors: dict, data: dict):
    return render("roadmap/task.html", status=422 if errors else 200, task=t, errors=errors, data=data,
                  today=date.today(), can_submit=can(SUBMIT_EVIDENCE),
                  files=attachments_of("roadmap_task", t.id), file_endpoint="roadmap_inst.task_file")


@inst_bp.route("/tasks/<int:task_id>/files/<int:file_id>", endpoint="task_file")
@allow(READ_INSTITUTION_REPORTING)
def evidence_file(task_id: int, file_id: int):
    t = services.task(task_id)
    return send_attachment(get_attachment(file_id, "roadmap_task", t.id))


def _program_ended(institution_id: int, completed_on, **_) -> None:
    generation.program_ended(institution_id, completed_on)


def register(app) -> None:
    portal_evidence.install(SimpleNamespace(  # the producers' documents and planned meetings come here
        record=evidence.record, record_many=evidence.record_many, record_city=evidence.record_city,
        plan_for_source=plan_dates.plan_for_source, withdraw_source=plan_dates.withdraw_source,
        plan_for_city_source=plan_dates.plan_for_city_source, withdraw_city_source=plan_dates.withdraw_city_source))
    program_ended.connect(_program_ended)
    indicator_views.register(app)
    work_views.register(app)
    api.register_api(app)
    app.register_blueprint(city_bp)
    app.register_blueprint(inst_bp)
    nav_item("municipality", "Дорожная карта", "roadmap_city.index", order=20, group=Group.REPORTING)
    nav_item("institution", "Дорожная карта", "roadmap_inst.tasks", order=70, group=Group.REPORTING)
