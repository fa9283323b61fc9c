"""Pages of the roadmap's work: the department's own tasks and the dates of separate plans (the coordinator, under
/m/<city>/roadmap), the institution's plan dates and its entries of evidence gathered during the year."""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, request, url_for
from flask_login import current_user

from portal.errors import Invalid
from portal.extensions import db
from portal.roadmap import city_tasks, evidence, generation, plan_dates, services, work_api
from portal.roadmap.models import Activity
from portal.web import form_dict, int_arg, render
from tenants.access import READ_INSTITUTION_REPORTING, RUN_ROADMAP, SUBMIT_EVIDENCE, allow, can
from tenants.routing import institution_blueprint, municipality_blueprint

city_bp = municipality_blueprint("roadmap_work", __name__, "/roadmap")
inst_bp = institution_blueprint("roadmap_work_inst", __name__, "/roadmap")


def _year(default: int) -> int:
    return int_arg("year", default, low=2000, high=2100, message="Год — числом от 2000 до 2100, например 2023.")


# --- the coordinator: the department's own tasks -----------------------------------------------------------------

@city_bp.get("/<int:roadmap_id>/city-tasks")
@allow(RUN_ROADMAP)
def city_task_list(roadmap_id: int):
    row = services.roadmap(roadmap_id)
    year = _year(min(max(date.today().year, row.first_year), row.last_year))
    return render("roadmap/city_tasks.html", roadmap=row, year=year, today=date.today(),
                  years=list(range(row.first_year, row.last_year + 1)), groups=city_tasks.of_year(row, year))


@city_bp.post("/<int:roadmap_id>/tasks/period")
@allow(RUN_ROADMAP)
def generate_period(roadmap_id: int):
    row = services.roadmap(roadmap_id)
    created = generation.generate_period(row)
    flash(f"Задачи на {row.first_year}–{row.last_year} годы: создано {created}, существующие сохранены.", "success")
    return redirect(url_for("roadmap_city.page", roadmap_id=row.id))


def _city_task_page(task, errors=None, data=None, status=200):
    return render("roadmap/city_task.html", status=status, task=task, today=date.today(),
                  evidence=evidence.of_city_task(task), errors=errors or {}, data=data or {})


@city_bp.get("/city-tasks/<int:city_task_id>")
@allow(RUN_ROADMAP)
def city_task(city_task_id: int):
    return _city_task_page(city_tasks.city_task(city_task_id))


@city_bp.post("/city-tasks/<int:city_task_id>/done")
@allow(RUN_ROADMAP)
def city_task_done(city_task_id: int):
    task = city_tasks.city_task(city_task_id)
    try:
        city_tasks.mark_done(task, request.form.get("note", ""), current_user.id)
    except Invalid as exc:
        return _city_task_page(task, exc.fields, {"note": request.form.get("note", "")}, 422)
    flash("Задача отмечена выполненной.", "success")
    return redirect(url_for("roadmap_work.city_task", city_task_id=task.id))


@city_bp.post("/city-tasks/<int:city_task_id>/reopen")
@allow(RUN_ROADMAP)
def city_task_reopen(city_task_id: int):
    task = city_tasks.city_task(city_task_id)
    try:
        city_tasks.reopen(task)
    except Invalid as exc:
        return _city_task_page(task, exc.fields, status=422)
    return redirect(url_for("roadmap_work.city_task", city_task_id=task.id))


@city_bp.post("/city-tasks/<int:city_task_id>/entries")
@allow(RUN_ROADMAP)
def city_task_entry(city_task_id: int):
    task = city_tasks.city_task(city_task_id)
    data = form_dict("on", "title", "link", "note")
    try:
        evidence.add_city_entry(task, data, current_user.id)
    except Invalid as exc:
        return _city_task_page(task, exc.fields, data, 422)
    flash("Запись добавлена.", "success")
    return redirect(url_for("roadmap_work.city_task", city_task_id=task.id))


# --- the coordinator: dates of a separate plan ------------------------------------------------------------------

def _activity(roadmap_id: int, activity_id: int) -> Activity:
    return services.activity(services.roadmap(roadmap_id), activity_id)


def _city_dates_page(a: Activity, errors=None, data=None, status=200):
    return render("roadmap/city_dates.html", status=status, activity=a, roadmap=a.roadmap,
                  dates=plan_dates.city_dates(a), errors=errors or {}, data=data or {})


@city_bp.get("/<int:roadmap_id>/activities/<int:activity_id>/dates")
@allow(RUN_ROADMAP)
def city_dates(roadmap_id: int, activity_id: int):
    return _city_dates_page(_activity(roadmap_id, activity_id))


@city_bp.post("/<int:roadmap_id>/activities/<int:activity_id>/dates")
@allow(RUN_ROADMAP)
def add_city_date(roadmap_id: int, activity_id: int):
    a = _activity(roadmap_id, activity_id)
    data = form_dict("on", "title")
    try:
        plan_dates.add_city_date(a, data)
    except Invalid as exc:
        db.session.rollback()
        return _city_dates_page(a, exc.fields, data, 422)
    flash("Дата добавлена в план; задачи учреждений на эту дату созданы.", "success")
    return redirect(url_for("roadmap_work.city_dates", roadmap_id=roadmap_id, activity_id=a.id))


@city_bp.post("/<int:roadmap_id>/activities/<int:activity_id>/dates/<int:city_date_id>/delete")
@allow(RUN_ROADMAP)
def remove_city_date(roadmap_id: int, activity_id: int, city_date_id: int):
    a = _activity(roadmap_id, activity_id)
    plan_dates.remove_city_date(a, city_date_id)
    flash("Дата снята с плана.", "success")
    return redirect(url_for("roadmap_work.city_dates", roadmap_id=roadmap_id, activity_id=a.id))


# --- the institution: entries of evidence, its own plan dates ------------------------------------------------------

@inst_bp.post("/tasks/<int:task_id>/entries")
@allow(SUBMIT_EVIDENCE)
def add_entry(task_id: int):
    task = services.task(task_id)
    data = form_dict("on", "title", "link", "note")
    try:
        evidence.add_entry(task, data, current_user.id)
    except Invalid as exc:
        flash("Запись не добавлена: " + "; ".join(exc.fields.values()), "danger")
    else:
        flash("Запись добавлена к подтверждениям задачи.", "success")
    return redirect(url_for("roadmap_inst.task", task_id=task.id))


def _own_dates_page(task, errors=None, data=None, status=200):
    a = task.activity
    return render("roadmap/own_dates.html", status=status, task=task, activity=a, city=plan_dates.city_dates(a),
                  own=plan_dates.institution_dates(a), errors=errors or {}, data=data or {},
                  can_edit=can(SUBMIT_EVIDENCE))


@inst_bp.get("/tasks/<int:task_id>/plan")
@allow(READ_INSTITUTION_REPORTING)
def own_dates(task_id: int):
    return _own_dates_page(services.task(task_id))


@inst_bp.post("/tasks/<int:task_id>/plan")
@allow(SUBMIT_EVIDENCE)
def add_own_date(task_id: int):
    task = services.task(task_id)
    data = form_dict("on", "title")
    try:
        plan_dates.add_institution_date(task.activity, task.institution_id, data)
    except Invalid as exc:
        db.session.rollback()
        return _own_dates_page(task, exc.fields, data, 422)
    flash("Дата добавлена в план организации.", "success")
    return redirect(url_for("roadmap_work_inst.own_dates", task_id=task.id))


@inst_bp.post("/tasks/<int:task_id>/plan/<int:own_date_id>/delete")
@allow(SUBMIT_EVIDENCE)
def remove_own_date(task_id: int, own_date_id: int):
    task = services.task(task_id)
    plan_dates.remove_institution_date(task.activity, own_date_id)
    flash("Дата снята с плана организации.", "success")
    return redirect(url_for("roadmap_inst.tasks"))  # the task of that date may be gone with it


def register(app) -> None:
    work_api.register_api(app)
    app.register_blueprint(city_bp)
    app.register_blueprint(inst_bp)
    app.jinja_env.globals.update(roadmap_evidence_sources=evidence.SOURCE_CHOICES, task_evidence=evidence.of_task,
                                 is_plan_activity=lambda a: bool(a.parsed_rule and a.parsed_rule.kind == "by_plan"))
