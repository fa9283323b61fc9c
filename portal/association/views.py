"""Pages of methodological associations: the institution's (/i/<slug>/association) and the city's
(/m/<city>/association). One set of views, registered on each blueprint with its family and its rules."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import flash, g, redirect, request, url_for
from flask_login import current_user

from portal.association import api, plans, services
from portal.association.family import CITY, INSTITUTION, Family
from portal.association.models import MEMBER_ROLES
from portal.association.protocol import render_protocol
from portal.documents.responses import docx_response
from portal.errors import Invalid, NotFound
from portal.extensions import db
from portal.navigation import Group, nav_item
from portal.web import form_dict, render
from tenants.access import (FORM_ASSOCIATION, KEEP_ASSOCIATION, READ_ASSOCIATION, RUN_CITY_ASSOCIATION,
                            WORK_ON_DECISIONS, Rule, allow, can)
from tenants.routing import institution_blueprint, municipality_blueprint

MEETING_FIELDS = ("held_on", "starts_at", "place", "link", "topic", "agenda", "guests")


@dataclass(frozen=True)
class Level:
    fam: Family
    ep: str            # the blueprint's name, for url_for in templates
    read: Rule
    form: Rule
    keep: Rule
    decide: Rule

    def editor(self) -> bool:
        return can(self.form)

    def organisation(self) -> str:
        if self.fam.is_city:
            return f"Управление образования\n{g.municipality.name}"
        return g.institution.full_name


def _register(bp, lv: Level) -> None:  # noqa: C901 (predates the limit)
    fam = lv.fam

    def ctx(**extra) -> dict:
        return {"ep": lv.ep, "level": fam.level, "kinds": list(fam.kinds.items()), "roles": list(MEMBER_ROLES.items()),
                "today": date.today(), "errors": {}, "data": {}, "is_editor": lv.editor(), **extra}

    def assoc(association_id: int):
        return services.association(fam, association_id)

    def kept(association_id: int):
        row = assoc(association_id)
        services.check_keeper(current_user, lv.editor(), row)
        return row

    def index_page(errors=None, data=None, status=200):
        return render("association/index.html", status=status,
                      **ctx(associations=services.associations(fam), errors=errors or {}, data=data or {}))

    def render_page(row, errors=None, data=None, status=200):
        return render("association/page.html", status=status, **ctx(
            row=row, members=services.current_members(row), options=services.member_options(fam, row),
            meetings=services.meetings(fam, row), decisions=services.open_decisions(fam, row),
            may_keep=services.may_keep(current_user, lv.editor(), row), errors=errors or {}, data=data or {}))

    def meeting_page(row, m, errors=None, data=None, status=200):
        present, absent = services.protocol_people(m)
        return render("association/meeting.html", status=status, **ctx(
            row=row, m=m, members=services.current_members(row), attendance={a.staff_id: a for a in m.attendance},
            may_keep=services.may_keep(current_user, lv.editor(), row), title=services.protocol_title(row, m),
            errors=errors or {}, data=data or {}))

    def to_meeting(row, m):
        return redirect(url_for(f"{lv.ep}.meeting", association_id=row.id, meeting_id=m.id))

    @bp.get("")
    @allow(lv.read)
    def index():
        return index_page()

    @bp.post("")
    @allow(lv.form)
    def create():
        data = form_dict("kind", "name")
        try:
            row = services.save_association(fam, data)
        except Invalid as exc:
            return index_page(exc.fields, data, 422)
        flash("Объединение создано. Добавьте его состав и председателя.", "success")
        return redirect(url_for(f"{lv.ep}.page", association_id=row.id))

    @bp.get("/<int:association_id>")
    @allow(lv.read)
    def page(association_id: int):
        return render_page(assoc(association_id))

    @bp.post("/<int:association_id>/edit")
    @allow(lv.form)
    def edit(association_id: int):
        row = assoc(association_id)
        data = form_dict("kind", "name")
        try:
            services.save_association(fam, data, row)
        except Invalid as exc:
            db.session.rollback()
            return render_page(row, exc.fields, data, 422)
        return redirect(url_for(f"{lv.ep}.page", association_id=row.id))

    @bp.post("/<int:association_id>/members")
    @allow(lv.form)
    def add_member(association_id: int):
        row = assoc(association_id)
        data = form_dict("staff_id", "role")
        try:
            services.add_member(fam, row, data["staff_id"], data["role"] or "member")
        except Invalid as exc:
            db.session.rollback()
            return render_page(row, exc.fields, data, 422)
        return redirect(url_for(f"{lv.ep}.page", association_id=row.id))

    @bp.post("/<int:association_id>/members/<int:association_member_id>/role")
    @allow(lv.form)
    def member_role(association_id: int, association_member_id: int):
        row = assoc(association_id)
        try:
            services.set_role(fam, row, association_member_id, request.form.get("role", ""))
        except Invalid as exc:
            db.session.rollback()
            return render_page(row, exc.fields, status=422)
        return redirect(url_for(f"{lv.ep}.page", association_id=row.id))

    @bp.post("/<int:association_id>/members/<int:association_member_id>/remove")
    @allow(lv.form)
    def remove_member(association_id: int, association_member_id: int):
        row = assoc(association_id)
        services.remove_member(fam, row, association_member_id)
        return redirect(url_for(f"{lv.ep}.page", association_id=row.id))

    @bp.post("/<int:association_id>/meetings")
    @allow(lv.keep)
    def plan_meeting(association_id: int):
        row = kept(association_id)
        data = form_dict(*MEETING_FIELDS)
        try:
            m = services.plan_meeting(fam, row, data)
        except Invalid as exc:
            db.session.rollback()
            return render_page(row, exc.fields, data, 422)
        flash(f"Заседание № {m.number} запланировано на {m.held_on:%d.%m.%Y}.", "success")
        return to_meeting(row, m)

    @bp.get("/<int:association_id>/meetings/<int:meeting_id>")
    @allow(lv.read)
    def meeting(association_id: int, meeting_id: int):
        row = assoc(association_id)
        return meeting_page(row, services.meeting(fam, row, meeting_id))

    def meeting_operation(association_id: int, meeting_id: int, operation):
        row = kept(association_id)
        m = services.meeting(fam, row, meeting_id)
        try:
            operation(row, m)
        except Invalid as exc:
            db.session.rollback()
            return meeting_page(row, m, exc.fields, request.form.to_dict(), 422)
        return to_meeting(row, m)

    @bp.post("/<int:association_id>/meetings/<int:meeting_id>/edit")
    @allow(lv.keep)
    def edit_meeting(association_id: int, meeting_id: int):
        return meeting_operation(association_id, meeting_id,
                                 lambda row, m: services.update_meeting(fam, m, form_dict(*MEETING_FIELDS)))

    @bp.post("/<int:association_id>/meetings/<int:meeting_id>/cancel")
    @allow(lv.keep)
    def cancel_meeting(association_id: int, meeting_id: int):
        return meeting_operation(association_id, meeting_id, lambda row, m: services.cancel_meeting(fam, m))

    @bp.post("/<int:association_id>/meetings/<int:meeting_id>/agenda")
    @allow(lv.keep)
    def add_agenda_item(association_id: int, meeting_id: int):
        return meeting_operation(association_id, meeting_id,
                                 lambda row, m: services.add_agenda_item(fam, m, form_dict("title", "speaker")))

    @bp.post("/<int:association_id>/meetings/<int:meeting_id>/agenda/<int:agenda_item_id>")
    @allow(lv.keep)
    def minutes(association_id: int, meeting_id: int, agenda_item_id: int):
        def save(row, m):
            data = form_dict("title", "speaker", "heard", "spoke", "decided")
            data["mentoring"] = request.form.get("mentoring", "")
            services.update_minutes(fam, m, agenda_item_id, data)
        return meeting_operation(association_id, meeting_id, save)

    @bp.post("/<int:association_id>/meetings/<int:meeting_id>/agenda/<int:agenda_item_id>/delete")
    @allow(lv.keep)
    def remove_agenda_item(association_id: int, meeting_id: int, agenda_item_id: int):
        return meeting_operation(association_id, meeting_id,
                                 lambda row, m: services.remove_agenda_item(fam, m, agenda_item_id))

    @bp.post("/<int:association_id>/meetings/<int:meeting_id>/attendance")
    @allow(lv.keep)
    def attendance(association_id: int, meeting_id: int):
        def save(row, m):
            notes = {int(k[5:]): v for k, v in request.form.items() if k.startswith("note-") and k[5:].isdigit()}
            services.record_attendance(fam, m, request.form.getlist("present"), notes)
        return meeting_operation(association_id, meeting_id, save)

    @bp.post("/<int:association_id>/meetings/<int:meeting_id>/decisions")
    @allow(lv.keep)
    def add_decision(association_id: int, meeting_id: int):
        fields = ("text", "agenda_item_id", "responsible_staff_id", "responsible", "due_date")
        return meeting_operation(association_id, meeting_id,
                                 lambda row, m: services.add_decision(fam, m, form_dict(*fields)))

    @bp.post("/<int:association_id>/meetings/<int:meeting_id>/issue")
    @allow(lv.keep)
    def issue(association_id: int, meeting_id: int):
        def do(row, m):
            services.issue_protocol(fam, m, url_for(f"{lv.ep}.meeting", association_id=row.id, meeting_id=m.id))
            flash(f"Протокол № {m.number} оформлен; он подтверждает мероприятия дорожной карты.", "success")
        return meeting_operation(association_id, meeting_id, do)

    @bp.get("/<int:association_id>/meetings/<int:meeting_id>/protocol.docx")
    @allow(lv.read)
    def protocol(association_id: int, meeting_id: int):
        row = assoc(association_id)
        m = services.meeting(fam, row, meeting_id)
        data = render_protocol(row, m, lv.organisation(), city=fam.is_city)
        return docx_response(data, f"protocol-{m.academic_year}-{m.number}.docx")

    @bp.post("/<int:association_id>/decisions/<int:decision_id>/done")
    @allow(lv.decide)
    def decision_done(association_id: int, decision_id: int):
        row = assoc(association_id)
        d = services.decision(fam, decision_id)
        if d.meeting.association_id != row.id:
            raise NotFound("Решение не найдено.")
        try:
            services.mark_decision_done(fam, d, current_user, lv.editor(), request.form.get("note", ""))
        except Invalid as exc:
            flash(exc.message, "danger")
        return redirect(request.referrer if (request.referrer or "").startswith(request.host_url)
                        else url_for(f"{lv.ep}.page", association_id=row.id))

    # --- the plan of work -----------------------------------------------------------------------------------

    def plan_page(row, year, errors=None, data=None, status=200):
        return render("association/plan.html", status=status, **ctx(
            row=row, year=year, years=plans.years(fam, row), items=plans.items(fam, row, year),
            plan=plans.plan(fam, row, year), may_keep=services.may_keep(current_user, lv.editor(), row),
            issued=[m for m in services.meetings(fam, row) if m.state.value == "issued"],
            errors=errors or {}, data=data or {}))

    def year_arg(source) -> str:
        raw = source.get("academic_year") or services.academic_year(date.today())
        try:
            return plans.check_year(raw)
        except Invalid:
            return services.academic_year(date.today())

    @bp.get("/<int:association_id>/plan")
    @allow(lv.read)
    def plan(association_id: int):
        return plan_page(assoc(association_id), year_arg(request.args))

    def plan_operation(association_id: int, operation):
        row = kept(association_id)
        year = year_arg(request.form)
        try:
            operation(row, year)
        except Invalid as exc:
            db.session.rollback()
            return plan_page(row, year, exc.fields, request.form.to_dict(), 422)
        return redirect(url_for(f"{lv.ep}.plan", association_id=row.id, academic_year=year))

    @bp.post("/<int:association_id>/plan/items")
    @allow(lv.keep)
    def add_plan_line(association_id: int):
        fields = ("when", "content", "form", "responsible")
        return plan_operation(association_id, lambda row, year: plans.add_item(
            fam, row, year, {**form_dict(*fields), "mentoring": request.form.get("mentoring", "")}))

    @bp.post("/<int:association_id>/plan/items/<int:plan_line_id>/delete")
    @allow(lv.keep)
    def remove_plan_line(association_id: int, plan_line_id: int):
        return plan_operation(association_id, lambda row, year: plans.remove_item(fam, row, plan_line_id))

    @bp.post("/<int:association_id>/plan/approve")
    @allow(lv.keep)
    def approve_plan(association_id: int):
        def do(row, year):
            plans.approve(fam, row, year, form_dict("approved_on", "meeting_id"),
                          url_for(f"{lv.ep}.plan", association_id=row.id, academic_year=year))
            flash("План работы утверждён; он подтверждает п. 22 дорожной карты.", "success")
        return plan_operation(association_id, do)


inst_bp = institution_blueprint("association", __name__, "/association")
city_bp = municipality_blueprint("city_association", __name__, "/association")
_register(inst_bp, Level(INSTITUTION, "association", READ_ASSOCIATION, FORM_ASSOCIATION, KEEP_ASSOCIATION,
                         WORK_ON_DECISIONS))
_register(city_bp, Level(CITY, "city_association", RUN_CITY_ASSOCIATION, RUN_CITY_ASSOCIATION, RUN_CITY_ASSOCIATION,
                         RUN_CITY_ASSOCIATION))


def register(app) -> None:
    api.register_api(app)
    app.register_blueprint(inst_bp)
    app.register_blueprint(city_bp)
    nav_item("institution", "Методическое объединение", "association.index", order=55, group=Group.MENTORING)
    nav_item("municipality", "ГМО и семинары", "city_association.index", order=25, group=Group.MENTORING)
