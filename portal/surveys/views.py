"""Surveys: the coordinator's campaigns and results (/m/<city>/surveys), a person's questionnaires and an
institution's results (/i/<slug>/surveys)."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Response, flash, g, redirect, request, url_for
from flask_login import current_user

from portal.documents.xlsx import XLSX_MIME, to_bytes, write_table
from portal.errors import Invalid
from portal.extensions import db
from portal.navigation import Group, nav_item
from portal.notifications.services import notify_staff
from portal.surveys import api, services
from portal.surveys.models import AUDIENCES, KINDS, SurveyInvitation
from portal.web import form_dict, render
from tenants.access import ANSWER_SURVEYS, READ_INSTITUTION_REPORTING, RUN_SURVEYS, VIEW_INSTITUTION, allow, can
from tenants.context import institution_scope
from tenants.models import Institution
from tenants.queries import institutions_of
from tenants.routing import institution_blueprint, municipality_blueprint

city_bp = municipality_blueprint("surveys_city", __name__, "/surveys")
inst_bp = institution_blueprint("surveys", __name__, "/surveys")
MIN_GROUP = 3  # anonymous results of an institution are shown from three respondents, never of one or two


@city_bp.route("", methods=["GET", "POST"])
@allow(RUN_SURVEYS)
def index():
    templates = services.templates(g.municipality.id)
    errors, data = {}, {"opens_on": date.today().strftime("%d.%m.%Y"),
                        "closes_on": (date.today() + timedelta(days=14)).strftime("%d.%m.%Y"), "anonymous": "1"}
    if request.method == "POST":
        data = form_dict("template_id", "title", "opens_on", "closes_on", "anonymous")
        try:
            row, invited = services.create_campaign(g.municipality.id, data, current_user.id)
        except Invalid as exc:
            errors = exc.fields
        else:
            people = db.session.execute(db.select(SurveyInvitation).where(SurveyInvitation.campaign_id == row.id)).scalars()
            slugs = dict(db.session.execute(db.select(Institution.id, Institution.slug)).all())
            for inv in people:
                notify_staff(inv.staff, "survey", f"Анкетирование: {row.title}",
                             body=f"Ответьте до {row.closes_on:%d.%m.%Y}.",
                             url=url_for("surveys.answer", inst_slug=slugs[inv.institution_id], invitation_id=inv.id),
                             dedup_key=f"survey:{inv.id}")
            flash(f"Анкетирование создано: приглашено {invited}.", "success")
            return redirect(url_for("surveys_city.results", campaign_id=row.id))
    return render("surveys/index.html", status=422 if errors else 200,
                  template_options=[(t.id, f"{t.title} ({AUDIENCES[t.audience].lower()})") for t in templates],
                  campaigns=services.campaigns(), errors=errors, data=data, audiences=AUDIENCES)


@city_bp.route("/templates", methods=["POST"])
@allow(RUN_SURVEYS)
def add_template():
    data = form_dict("title", "audience", "questions")
    try:
        services.add_template(g.municipality.id, data["title"], data["audience"], data["questions"])
    except Invalid as exc:
        templates = services.templates(g.municipality.id)
        return render("surveys/index.html", status=422, campaigns=services.campaigns(), errors={}, data={},
                      audiences=AUDIENCES, template_errors=exc.fields, template_data=data,
                      template_options=[(t.id, f"{t.title} ({AUDIENCES[t.audience].lower()})") for t in templates])
    flash("Анкета добавлена: её можно выбрать при рассылке.", "success")
    return redirect(url_for("surveys_city.index"))


def _by_institution(camp) -> list[tuple[Institution, dict]]:
    rows = []
    for inst in institutions_of(g.municipality):
        with institution_scope(inst.id):
            rows.append((inst, services.results(camp)))
    return rows


@city_bp.route("/<int:campaign_id>")
@allow(RUN_SURVEYS)
def results(campaign_id: int):
    camp = services.campaign(campaign_id)
    return render("surveys/results.html", camp=camp, res=services.results(camp), kinds=KINDS,
                  by_institution=_by_institution(camp), min_group=MIN_GROUP)


@city_bp.route("/<int:campaign_id>/results.xlsx")
@allow(RUN_SURVEYS)
def export(campaign_id: int):
    camp = services.campaign(campaign_id)
    questions = camp.template.questions
    header = ["Организация", "Приглашено", "Ответили"] + [q["text"] for q in questions]

    def cell(item):
        if item["question"]["kind"] == "scale10":
            return item.get("mean")
        if item["question"]["kind"] == "text":
            return len(item["texts"])
        return "; ".join(f"{k}: {v}" for k, v in sorted(item["counts"].items()))

    rows = []
    for inst, res in _by_institution(camp):
        hidden = camp.anonymous and res["respondents"] < MIN_GROUP
        rows.append([inst.short_name, res["invited"], res["answered"]] +
                    (["меньше 3 ответов"] * len(questions) if hidden else [cell(i) for i in res["questions"]]))
    total = services.results(camp)
    rows.append(["Итого", total["invited"], total["answered"]] + [cell(i) for i in total["questions"]])
    return Response(to_bytes(write_table("Результаты", header, rows)), mimetype=XLSX_MIME,
                    headers={"Content-Disposition": f"attachment; filename=survey-{camp.id}.xlsx"})


# --- the institution ----------------------------------------------------------------------------------------------

@inst_bp.route("")
@allow(VIEW_INSTITUTION)
def index_inst():
    overseer = can(READ_INSTITUTION_REPORTING)
    return render("surveys/institution.html", mine=services.my_invitations(current_user),
                  campaigns=services.campaigns() if overseer else [], overseer=overseer)


@inst_bp.route("/<int:invitation_id>", methods=["GET", "POST"])
@allow(ANSWER_SURVEYS)
def answer(invitation_id: int):
    inv = services.invitation_for(current_user, invitation_id)
    errors = {}
    if request.method == "POST":
        try:
            services.answer(inv, request.form)
        except Invalid as exc:
            errors = exc.fields
        else:
            flash("Спасибо! Ответы приняты." + (" Анкета анонимная: сохранены только сводные цифры."
                                                if inv.campaign.anonymous else ""), "success")
            return redirect(url_for("surveys.index_inst"))
    return render("surveys/answer.html", status=422 if errors else 200, inv=inv, camp=inv.campaign,
                  errors=errors, form=request.form)


@inst_bp.route("/results/<int:campaign_id>")
@allow(READ_INSTITUTION_REPORTING)
def results_inst(campaign_id: int):
    camp = services.campaign(campaign_id)
    res = services.results(camp)
    return render("surveys/results.html", camp=camp, res=res, kinds=KINDS, by_institution=[], min_group=MIN_GROUP,
                  hidden=camp.anonymous and res["respondents"] < MIN_GROUP)


def register(app) -> None:
    app.register_blueprint(city_bp)
    app.register_blueprint(inst_bp)
    api.register_api(app)
    nav_item("municipality", "Анкетирование", "surveys_city.index", order=50, group=Group.REPORTING)
    nav_item("institution", "Анкеты", "surveys.index_inst", order=85, group=Group.REPORTING)
