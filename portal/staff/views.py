"""Staff registry pages: list with search/sort/pagination over HTMX, card, create, edit, archive, import, export."""
from __future__ import annotations

from datetime import date

from flask import Response, flash, redirect, request, url_for
from flask_login import current_user

from portal.documents.xlsx import XLSX_MIME, to_bytes
from portal.errors import Invalid
from portal.navigation import Group, nav_item
from portal.staff import api, exports, importer, picker, services  # noqa: F401  (picker: its routes join bp)
from portal.staff.blueprint import bp
from portal.staff.dictionaries import CATEGORY_LABELS, POSITIONS
from portal.web import page_arg, render
from tenants.access import EDIT_STAFF, READ_STAFF, allow

FORM_FIELDS = services.EDITABLE
FIELD_LABELS = {**services.FIELD_LABELS, "created": "Создание записи"}


def _query() -> services.StaffQuery:
    return services.StaffQuery(q=request.args.get("q", "").strip()[:100], sort=request.args.get("sort", "name"),
                               archived=request.args.get("archived") == "1", young=request.args.get("young") == "1")


def _choices() -> dict:
    return {"positions": sorted(POSITIONS.items(), key=lambda kv: kv[1]),
            "categories": [(c.value, label) for c, label in CATEGORY_LABELS.items()]}


@bp.route("/")
@allow(READ_STAFF)
def index():
    query = _query()
    return render("staff/list.html", "staff/_table.html", page=services.search(query, page_arg()), query=query,
                  today=date.today())


@bp.route("/export.xlsx")
@allow(READ_STAFF)
def export():
    rows = services.all_for_export(_query())
    return Response(to_bytes(exports.staff_workbook(rows, date.today())), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": "attachment; filename=staff.xlsx"})


@bp.route("/new", methods=["GET", "POST"])
@allow(EDIT_STAFF)
def create():
    if request.method == "POST":
        data = {f: request.form.get(f, "") for f in FORM_FIELDS}
        try:
            staff = services.create_staff(data, current_user.id)
        except Invalid as exc:
            return render("staff/form.html", "staff/_form.html", status=422, staff=None, data=data,
                          errors=exc.fields, **_choices())
        flash(f"Сотрудник {staff.short_name} добавлен.", "success")
        return redirect(url_for("staff.card", staff_id=staff.id))
    return render("staff/form.html", staff=None, data={"category": "none"}, errors={}, **_choices())


@bp.route("/<int:staff_id>")
@allow(READ_STAFF)
def card(staff_id: int):
    staff = services.get_staff(staff_id, audit=True)

    return render("staff/card.html", staff=staff, history=services.history(staff), today=date.today(),
                  errors={}, field_labels=FIELD_LABELS, incentives=services.incentives_of(staff.id))


@bp.route("/<int:staff_id>/edit", methods=["GET", "POST"])
@allow(EDIT_STAFF)
def edit(staff_id: int):
    staff = services.get_staff(staff_id)
    if request.method == "POST":
        data = {f: request.form.get(f, "") for f in FORM_FIELDS}
        try:
            changed = services.update_staff(staff, data, current_user.id)
        except Invalid as exc:
            return render("staff/form.html", "staff/_form.html", status=422, staff=staff, data=data,
                          errors=exc.fields, **_choices())
        flash("Изменения сохранены." if changed else "Изменений нет.", "success" if changed else "info")
        return redirect(url_for("staff.card", staff_id=staff.id))
    data = {f: getattr(staff, f) for f in FORM_FIELDS}
    data["young_specialist_manual"] = {True: "yes", False: "no"}.get(staff.young_specialist_manual, "")
    return render("staff/form.html", staff=staff, data=data, errors={}, **_choices())


@bp.route("/<int:staff_id>/archive", methods=["POST"])
@allow(EDIT_STAFF)
def archive(staff_id: int):
    staff = services.get_staff(staff_id)
    services.set_archived(staff, request.form.get("restore") != "1", current_user.id)
    flash("Запись перенесена в архив." if staff.archived else "Запись возвращена из архива.", "info")
    return redirect(url_for("staff.card", staff_id=staff.id))


@bp.route("/<int:staff_id>/account", methods=["POST"])
@allow(EDIT_STAFF)
def link_account(staff_id: int):
    staff = services.get_staff(staff_id)
    try:
        services.link_user(staff, request.form.get("user_email", ""), current_user.id)
    except Invalid as exc:
        return render("staff/card.html", status=422, staff=staff, history=services.history(staff), today=date.today(),
                      errors=exc.fields, field_labels=FIELD_LABELS)
    flash("Связь с учётной записью сохранена.", "success")
    return redirect(url_for("staff.card", staff_id=staff.id))


@bp.route("/import", methods=["GET", "POST"])
@allow(EDIT_STAFF)
def import_file():
    if request.method == "GET":
        return render("staff/import.html", result=None, error=None, rows=[])
    file = request.files.get("file")
    try:
        if file is None or not file.filename:
            raise Invalid("file", "Выберите файл XLSX или CSV.")
        result = importer.import_staff(file.filename, file.read(), current_user.id)
    except Invalid as exc:
        return render("staff/import.html", "staff/_import_result.html", status=422, result=None,
                      error=exc.message, rows=exc.rows)
    return render("staff/import.html", "staff/_import_result.html", result=result, error=None, rows=[])


def register(app) -> None:

    app.register_blueprint(bp)

    api.register(app)
    nav_item("institution", "Педагоги", "staff.index", order=10, group=Group.PEOPLE)
