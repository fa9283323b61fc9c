"""The city's bank of best practices and its news in the JSON API: /api/v1/m/<slug>/practices, …/news."""
from __future__ import annotations

from flask import jsonify

from portal.api import base
from portal.api.serializers import stamp
from portal.extensions import csrf, db
from portal.public.models import BestPractice, NewsItem
from tenants.access import KEEP_PRACTICE_BANK, PUBLISH_CITY_NEWS, allow

city_api = base.api_municipality_blueprint("public_api", __name__)


@city_api.route("/practices", methods=["GET"])
@allow(KEEP_PRACTICE_BANK)
def practices():
    rows = db.session.execute(db.select(BestPractice).order_by(BestPractice.id.desc())).scalars()
    return jsonify({"items": [{"id": p.id, "title": p.title, "summary": p.summary, "form": p.form_name, "topic": p.topic,
                               "institution_id": p.institution_id, "source": p.source, "state": p.state} for p in rows]})


@city_api.route("/news", methods=["GET"])
@allow(PUBLISH_CITY_NEWS)
def news():
    rows = db.session.execute(db.select(NewsItem).order_by(NewsItem.published_at.desc()).limit(100)).scalars()
    return jsonify({"items": [{"id": n.id, "kind": n.kind, "title": n.title, "body": n.body,
                               "institution_id": n.institution_id, "published_at": stamp(n.published_at)}
                              for n in rows]})


for path, summary in (("/m/{muni_slug}/practices", "Банк лучших практик"), ("/m/{muni_slug}/news", "Новости")):
    base.document(path, "get", summary, tag="contests")


def register_api(app) -> None:
    csrf.exempt(city_api)
    app.register_blueprint(city_api)
