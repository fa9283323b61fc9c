"""The public section (no login): /public/<city>/ and /public/<city>/<institution>/, the best-practice bank, Atom
feeds of the news; and the pages where curators and the coordinator write news and handle the bank."""
from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from flask import Blueprint, Response, flash, g, redirect, request, url_for
from flask_login import current_user

from portal.contests.services import contest as get_contest
from portal.errors import Invalid
from portal.extensions import db
from portal.navigation import Group, nav_item
from portal.programs.services import program as get_program, programs as all_programs
from portal.mentoring.states import ProgramState
from portal.public import api, services
from portal.public.models import NEWS_KINDS, BestPractice, NewsItem
from portal.web import form_dict, render
from tenants.access import KEEP_PRACTICE_BANK, PUBLIC, PUBLISH_CITY_NEWS, PUBLISH_INSTITUTION_NEWS, allow
from tenants.context import public_scope
from tenants.models import InstitutionKind
from tenants.queries import get_or_404, institution_by_slug, municipality_by_slug
from tenants.routing import institution_blueprint, municipality_blueprint

bp = Blueprint("public", __name__, url_prefix="/public")
news_inst = institution_blueprint("news_inst", __name__, "/news")
news_city = municipality_blueprint("news_city", __name__, "/news")
bank_city = municipality_blueprint("bank_city", __name__, "/practices")
bank_inst = institution_blueprint("bank_inst", __name__, "/practices")


@bp.route("/<city>/")
@allow(PUBLIC)
def city_page(city: str):
    muni = municipality_by_slug(city)
    with public_scope(muni.id):
        return render("public/city.html", muni=muni, **services.city_page(muni))


@bp.route("/<city>/practices")
@allow(PUBLIC)
def practices(city: str):
    muni = municipality_by_slug(city)
    args = {k: request.args.get(k, "") for k in ("q", "form", "kind", "topic")}
    with public_scope(muni.id):
        rows = services.search_practices(**args)
        forms = sorted({p.form_name for p in services.search_practices() if p.form_name})
        return render("public/practices.html", muni=muni, rows=rows, args=args, forms=forms,
                      kinds=[(k.value, k.label) for k in InstitutionKind])


@bp.route("/<city>/<place>/")
@allow(PUBLIC)
def institution_page(city: str, place: str):
    muni = municipality_by_slug(city)
    with public_scope(muni.id):
        inst = institution_by_slug(muni, place)
        return render("public/institution.html", muni=muni, inst=inst, **services.institution_page(inst, date.today()))


def _atom(title: str, link: str, items: list[NewsItem]) -> Response:
    updated = (items[0].published_at if items else date.today()).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = "".join(
        f"<entry><title>{escape(n.title)}</title><id>{escape(link)}#news-{n.id}</id>"
        f"<link href=\"{escape(link)}#news-{n.id}\"/><updated>{n.published_at:%Y-%m-%dT%H:%M:%SZ}</updated>"
        f"<category term=\"{escape(n.kind_label)}\"/><content type=\"text\">{escape(n.body)}</content></entry>"
        for n in items)
    body = (f"<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">"
            f"<title>{escape(title)}</title><id>{escape(link)}</id><link href=\"{escape(link)}\"/>"
            f"<updated>{updated}</updated>{entries}</feed>")
    return Response(body, mimetype="application/atom+xml")


@bp.route("/<city>/feed.atom")
@allow(PUBLIC)
def city_feed(city: str):
    muni = municipality_by_slug(city)
    with public_scope(muni.id):
        return _atom(f"Наставничество — {muni.name}", url_for("public.city_page", city=city, _external=True),
                     services.news(None))


@bp.route("/<city>/<place>/feed.atom")
@allow(PUBLIC)
def institution_feed(city: str, place: str):
    muni = municipality_by_slug(city)
    with public_scope(muni.id):
        inst = institution_by_slug(muni, place)
        return _atom(f"Наставничество — {inst.short_name}",
                     url_for("public.institution_page", city=city, place=place, _external=True), services.news(inst.id))


# --- writing news ------------------------------------------------------------------------------------------------

def _news_page(template_owner: int | None, endpoint: str, status: int = 200, **extra):
    ctx = {"errors": {}, "data": {"kind": "news"}, **extra}
    return render("public/news_admin.html", status=status, rows=services.news(template_owner, limit=100),
                  kinds=list(NEWS_KINDS.items()), endpoint=endpoint, **ctx)


@news_inst.route("", methods=["GET", "POST"])
@allow(PUBLISH_INSTITUTION_NEWS)
def institution_news():
    if request.method == "POST":
        data = form_dict("kind", "title", "body")
        try:
            services.add_news(data, current_user.id, g.institution.id)
        except Invalid as exc:
            return _news_page(g.institution.id, "news_inst.institution_news", 422, errors=exc.fields, data=data)
        flash("Опубликовано в разделе «Наставничество».", "success")
        return redirect(url_for("news_inst.institution_news"))
    return _news_page(g.institution.id, "news_inst.institution_news")


@news_city.route("", methods=["GET", "POST"])
@allow(PUBLISH_CITY_NEWS)
def city_news():
    if request.method == "POST":
        data = form_dict("kind", "title", "body")
        try:
            services.add_news(data, current_user.id, None)
        except Invalid as exc:
            return _news_page(None, "news_city.city_news", 422, errors=exc.fields, data=data)
        flash("Опубликовано на странице города.", "success")
        return redirect(url_for("news_city.city_news"))
    return _news_page(None, "news_city.city_news")


# --- the bank ----------------------------------------------------------------------------------------------------

@bank_city.post("/winners/<int:contest_id>")
@allow(KEEP_PRACTICE_BANK)
def bank_winners(contest_id: int):
    added = services.bank_contest_winners(get_contest(contest_id))
    flash(f"В банк лучших практик добавлено: {added}.", "success")
    return redirect(url_for("bank_city.bank"))


@bank_city.post("/<int:practice_id>/decision")
@allow(KEEP_PRACTICE_BANK)
def review_practice(practice_id: int):
    row = get_or_404(BestPractice, practice_id, "Практика не найдена.")
    row.state = "approved" if request.form.get("decision") == "approve" else "rejected"
    db.session.commit()
    return redirect(url_for("bank_city.bank"))


@bank_city.get("")
@allow(KEEP_PRACTICE_BANK)
def bank():
    rows = list(db.session.execute(db.select(BestPractice).order_by(BestPractice.state != "proposed",
                                                                     BestPractice.id.desc())).scalars())
    return render("public/bank_admin.html", rows=rows)


@bank_inst.route("", methods=["GET", "POST"])
@allow(PUBLISH_INSTITUTION_NEWS)
def propose():
    completed = all_programs([ProgramState.COMPLETED])
    errors, data = {}, {}
    if request.method == "POST":
        data = form_dict("program_id", "title", "summary", "topic")
        try:
            if not data["program_id"].isdigit():
                raise Invalid("program_id", "Выберите завершённую программу.")
            services.propose_practice(get_program(int(data["program_id"])), data, g.institution.id)
        except Invalid as exc:
            errors = exc.fields
        else:
            flash("Кейс предложен координатору для банка лучших практик.", "success")
            return redirect(url_for("bank_inst.propose"))
    mine = list(db.session.execute(db.select(BestPractice).where(BestPractice.institution_id == g.institution.id)).scalars())
    return render("public/propose.html", status=422 if errors else 200, programs=completed, mine=mine, errors=errors,
                  data=data)


def register(app) -> None:
    api.register_api(app)
    for blueprint in (bp, news_inst, news_city, bank_city, bank_inst):
        app.register_blueprint(blueprint)
    nav_item("institution", "Публикации", "news_inst.institution_news", order=95, group=Group.PUBLIC)
    nav_item("institution", "Лучшие кейсы", "bank_inst.propose", order=96, group=Group.PUBLIC)
    nav_item("municipality", "Публикации", "news_city.city_news", order=70, group=Group.PUBLIC)
    nav_item("municipality", "Банк практик", "bank_city.bank", order=71, group=Group.PUBLIC)
