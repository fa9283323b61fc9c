"""Survey results in the JSON API (aggregates only; anonymous campaigns have nothing else)."""
from __future__ import annotations

from flask import jsonify

from portal.api import base
from portal.extensions import csrf
from portal.surveys import services
from tenants.access import RUN_SURVEYS, allow

city_api = base.api_municipality_blueprint("surveys_api", __name__)


@city_api.route("/surveys/<int:campaign_id>/results", methods=["GET"])
@allow(RUN_SURVEYS)
def results(campaign_id: int):
    camp = services.campaign(campaign_id)
    res = services.results(camp)
    return jsonify({"id": camp.id, "title": camp.title, "audience": camp.audience, "anonymous": camp.anonymous,
                    "invited": res["invited"], "answered": res["answered"], "respondents": res["respondents"],
                    "questions": [{"id": i["question"]["id"], "text": i["question"]["text"], "kind": i["question"]["kind"],
                                   "counts": i["counts"], "mean": i.get("mean"), "texts": i["texts"]}
                                  for i in res["questions"]]})


base.document("/m/{muni_slug}/surveys/{campaign_id}/results", "get", "Результаты анкетирования (сводные)", tag="surveys")


def register_api(app) -> None:
    csrf.exempt(city_api)
    app.register_blueprint(city_api)
