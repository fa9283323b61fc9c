"""Contest pages: the coordinator's (/m/<city>/contests), the jury's (/m/<city>/jury), the institution's entries
(/i/<slug>/contests)."""
from __future__ import annotations

from datetime import date

from flask import Response, flash, g, redirect, request, url_for
from flask_login import current_user

from portal.contests import api, services
from portal.contests.models import ContestState, EntryState
from portal.contests.protocol import diplomas_docx, protocol_docx, results_order_docx, ROLE_LABELS
from portal.documents.responses import docx_response
from portal.errors import Invalid, NotFound
from portal.extensions import db
from portal.formatting import parse_ids
from portal.jobs import services as jobs
from portal.jobs.models import JobStatus
from portal.jobs.services import submit
from portal.mentoring.groups import groups as all_groups, staff_options
from portal.navigation import Group, nav_item
from portal.uploads.services import save_upload
from portal.web import form_dict, int_arg, render
from tenants.access import ENTER_CONTESTS, RUN_CONTESTS, SCORE_ENTRIES, allow
from tenants.queries import institutions_of
from tenants.routing import institution_blueprint, municipality_blueprint

city_bp = municipality_blueprint("contests", __name__, "/contests")
jury_bp = municipality_blueprint("jury", __name__, "/jury")
inst_bp = institution_blueprint("contest_entries", __name__, "/contests")
CREATE_FIELDS = ("title", "rules", "entries_from", "entries_until", "judging_until", "results_on", "nominations",
                 "criteria")


@city_bp.route("", methods=["GET", "POST"])
@allow(RUN_CONTESTS)
def index():
    errors, data = {}, {"criteria": "\n".join(f"{c} | 10" for c in services.DEFAULT_CRITERIA)}
    if request.method == "POST":
        data = form_dict(*CREATE_FIELDS)
        try:
            row = services.create_contest(g.municipality.id, data)
        except Invalid as exc:
            errors = exc.fields
        else:
            flash("Конкурс создан как черновик. Назначьте жюри и откройте приём заявок.", "success")
            return redirect(url_for("contests.page", contest_id=row.id))
    return render("contests/index.html", status=422 if errors else 200, contests=services.contests(), errors=errors,
                  data=data)


def _page_ctx(row, **extra) -> dict:
    return {"contest": row, "entries": services.entries(row), "progress": services.progress(row),
            "institutions": institutions_of(g.municipality),
            "results": services.results(row) if row.results_version else [], "errors": {}, "states": ContestState,
            **extra}


@city_bp.get("/<int:contest_id>")
@allow(RUN_CONTESTS)
def page(contest_id: int):
    row = services.contest(contest_id)
    job_id = int_arg("results_job")
    waiting = jobs.progress(_results_job(row, job_id)) if job_id else None
    return render("contests/page.html", **_page_ctx(row, results_job=waiting))


def _results_job(row, job_id: int):
    """The job that computes this contest's results (a job of another contest, or of another city, is a 404)."""
    job = jobs.city_job(job_id)
    if job.task != "contests.results" or job.args[:1] != [row.id]:
        raise NotFound("Задача не найдена.")
    return job


@city_bp.get("/<int:contest_id>/results/<int:job_id>")
@allow(RUN_CONTESTS)
def results_progress(contest_id: int, job_id: int):
    """Polled by the page while the results are computed: done reloads the page with them; failed offers a retry."""
    row = services.contest(contest_id)
    state = jobs.progress(_results_job(row, job_id))
    if state["status"] is JobStatus.DONE:
        response = redirect(url_for("contests.page", contest_id=row.id))
        response.headers["HX-Redirect"] = url_for("contests.page", contest_id=row.id)
        return response
    return render("contests/_results_job.html", contest=row, results_job=state)


@city_bp.post("/<int:contest_id>/results/<int:job_id>/retry")
@allow(RUN_CONTESTS)
def retry_results(contest_id: int, job_id: int):
    row = services.contest(contest_id)
    try:
        jobs.retry(_results_job(row, job_id))
    except Invalid as exc:
        db.session.rollback()
        return render("contests/page.html", status=422, **_page_ctx(row, errors=exc.fields))
    db.session.commit()
    return redirect(url_for("contests.page", contest_id=row.id, results_job=job_id))


def _act(contest_id: int, action) -> Response:
    """One step of running a contest: done and back to the page, or the page again with the reason (422)."""
    row = services.contest(contest_id)
    try:
        action(row)
    except Invalid as exc:
        db.session.rollback()
        return render("contests/page.html", status=422, **_page_ctx(services.contest(contest_id), errors=exc.fields))
    return redirect(url_for("contests.page", contest_id=row.id))


def _entry(row, entry_id: int):
    entry = next((e for e in services.entries(row) if e.id == entry_id), None)
    if entry is None:
        raise NotFound()
    return entry


@city_bp.get("/<int:contest_id>/experts/suggest", endpoint="suggest_experts")
@allow(RUN_CONTESTS)
def suggest_experts(contest_id: int):
    """The juror picker's suggestions (templates/macros/_person_picker.html): the city's experts by name, but not
    those already on this contest's jury."""
    row = services.contest(contest_id)
    q = request.args.get("q", "")[:100]
    chosen = set(parse_ids(request.args.getlist("user_id"))) | {j.user_id for j in row.jurors}
    people = services.experts_matching(g.municipality.id, q, chosen)
    return render("macros/_person_suggestions.html", people=people, name="user_id", q=q,
                  notes={p.id: "эксперт" for p in people}, nobody="Среди экспертов города вне жюри никого не нашлось")


@city_bp.post("/<int:contest_id>/jurors")
@allow(RUN_CONTESTS)
def add_juror(contest_id: int):
    def add(row):
        inst = request.form.get("institution_id")
        user_id = services.the_one_chosen(parse_ids(request.form.getlist("user_id")))
        services.add_juror(row, user_id, request.form.get("role", ""),
                           int_arg("institution_id", None, low=0, source=request.form) if inst else None)
    return _act(contest_id, add)


@city_bp.post("/<int:contest_id>/open")
@allow(RUN_CONTESTS)
def open_entries(contest_id: int):
    return _act(contest_id, services.open_entries)


@city_bp.post("/<int:contest_id>/judging")
@allow(RUN_CONTESTS)
def start_judging(contest_id: int):
    return _act(contest_id, services.start_judging)


@city_bp.post("/<int:contest_id>/entries/<int:entry_id>/admit")
@allow(RUN_CONTESTS)
def admit_entry(contest_id: int, entry_id: int):
    return _act(contest_id, lambda row: services.decide_entry(_entry(row, entry_id), True, ""))


@city_bp.post("/<int:contest_id>/entries/<int:entry_id>/reject")
@allow(RUN_CONTESTS)
def reject_entry(contest_id: int, entry_id: int):
    return _act(contest_id, lambda row: services.decide_entry(_entry(row, entry_id), False,
                                                              request.form.get("reject_reason", "")))


@city_bp.post("/<int:contest_id>/entries/<int:entry_id>/assign")
@allow(RUN_CONTESTS)
def assign_entry(contest_id: int, entry_id: int):
    def assign(row):
        entry = _entry(row, entry_id)
        juror = next((j for j in row.jurors if str(j.id) == request.form.get("juror_id")), None)
        if juror is None:
            raise Invalid("juror_id", "Выберите члена жюри.")
        services.assign(row, juror, entry)
    return _act(contest_id, assign)


@city_bp.post("/<int:contest_id>/results")
@allow(RUN_CONTESTS)
def publish_results(contest_id: int):
    """The results are computed by a job: the page then shows its progress until they are in (or «не выполнено»)."""
    row = services.contest(contest_id)
    if row.state is not ContestState.JUDGING and not request.form.get("note", "").strip():
        return render("contests/page.html", status=422, **_page_ctx(row, errors={
            "note": "Итоги опубликованы: исправление — новая версия с указанием причины."}))
    job = submit("contests.results", row.id, request.form.get("note", "")[:300], municipality_id=row.municipality_id)
    db.session.commit()
    return redirect(url_for("contests.page", contest_id=row.id, results_job=job.id))


@city_bp.route("/<int:contest_id>/protocol.docx")
@allow(RUN_CONTESTS)
def protocol(contest_id: int):
    row = services.contest(contest_id)
    if not row.results_version:
        raise NotFound("Итоги ещё не подведены.")
    data = protocol_docx(row, services.results(row), g.municipality.name)
    return docx_response(data, f"protocol-{row.id}.docx")


@city_bp.route("/<int:contest_id>/diplomas.docx")
@allow(RUN_CONTESTS)
def diplomas(contest_id: int):
    row = services.contest(contest_id)
    if not row.results_version:
        raise NotFound("Итоги ещё не подведены.")
    data = diplomas_docx(row, services.results(row), g.municipality.name)
    return docx_response(data, f"diplomas-{row.id}.docx")


@city_bp.route("/<int:contest_id>/order.docx")
@allow(RUN_CONTESTS)
def results_order(contest_id: int):
    row = services.contest(contest_id)
    if not row.results_version:
        raise NotFound("Итоги ещё не подведены.")
    data = results_order_docx(row, services.results(row), g.municipality.name, request.args.get("number", "____"),
                              date.today())
    return docx_response(data, f"order-{row.id}.docx")


# --- the jury -----------------------------------------------------------------------------------------------------

@jury_bp.route("")
@allow(SCORE_ENTRIES)
def my_contests():
    return render("contests/jury.html", rows=services.jury_desk(current_user.id), role_labels=ROLE_LABELS)


@jury_bp.route("/<int:contest_id>", methods=["GET", "POST"])
@allow(SCORE_ENTRIES)
def sheet(contest_id: int):
    row = services.contest(contest_id)
    juror = services.juror_of(row, current_user.id)
    errors = {}
    if request.method == "POST":
        assignment = next((a for a in services.my_assignments(juror) if str(a.id) == request.form.get("assignment_id")), None)
        if assignment is None:
            raise NotFound()
        values = {str(c.id): request.form.get(f"c{c.id}", "") for c in row.criteria}
        comments = {str(c.id): request.form.get(f"comment{c.id}", "") for c in row.criteria}
        try:
            services.score(row, assignment, current_user.id, values, comments)
        except Invalid as exc:
            errors = {assignment.id: exc.fields}
        else:
            flash("Оценки сохранены.", "success")
            return redirect(url_for("jury.sheet", contest_id=row.id))
    assignments = services.my_assignments(juror)
    return render("contests/sheet.html", status=422 if errors else 200, contest=row, assignments=assignments,
                  scores={a.id: services.scores_of(a) for a in assignments}, errors=errors)


# --- the institution ------------------------------------------------------------------------------------------------

@inst_bp.route("", methods=["GET", "POST"])
@allow(ENTER_CONTESTS)
def entries():
    open_contests = [c for c in services.contests() if c.state is ContestState.OPEN]
    errors, data = {}, {}
    if request.method == "POST":
        data = form_dict("contest_id", "nomination_id", "title", "description", "results", "group_id")
        row = next((c for c in open_contests if any(str(n.id) == data["nomination_id"] for n in c.nominations)), None)
        try:
            if row is None:
                raise Invalid("contest_id", "Выберите конкурс, приём заявок на который открыт.")
            entry = services.submit_entry(row, data, request.form.getlist("author_ids"), current_user.id)
            for file in request.files.getlist("files"):
                if file and file.filename:
                    save_upload(file, "contest_entry", entry.id, field="files", uploaded_by_id=current_user.id)
            db.session.commit()
        except Invalid as exc:
            db.session.rollback()
            errors = exc.fields
        else:
            flash("Заявка подана. Координатор рассмотрит её и допустит к экспертизе.", "success")
            return redirect(url_for("contest_entries.entries"))
    mine = [e for c in services.contests() for e in services.entries(c)]

    return render("contests/institution.html", status=422 if errors else 200, contests=open_contests, mine=mine,
                  groups=all_groups(),
                  staff=staff_options(), errors=errors, data=data, EntryState=EntryState)


def register(app) -> None:
    api.register_api(app)
    app.register_blueprint(city_bp)
    app.register_blueprint(jury_bp)
    app.register_blueprint(inst_bp)
    nav_item("municipality", "Конкурсы", "contests.index", order=60, group=Group.PUBLIC)
    nav_item("municipality", "Жюри", "jury.my_contests", order=61, group=Group.PUBLIC)
    nav_item("institution", "Конкурсы", "contest_entries.entries", order=90, group=Group.PUBLIC)
