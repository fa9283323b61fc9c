"""Contests in the JSON API: contests, entries, scores (the juror's own, jury only), results (the bank of
practices and the news: portal/public/api.py)."""
from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from portal.api import base
from portal.contests import services
from portal.contests.models import ContestState
from portal.errors import Invalid
from portal.extensions import csrf
from portal.web import int_arg
from tenants.access import RUN_CONTESTS, SCORE_ENTRIES, SEE_CONTESTS, allow

city_api = base.api_municipality_blueprint("contests_api", __name__)


def contest_json(c) -> dict:
    return {"id": c.id, "title": c.title, "year": c.year, "state": c.state.value,
            "entries_from": c.entries_from.isoformat(), "entries_until": c.entries_until.isoformat(),
            "judging_until": c.judging_until.isoformat(), "results_on": c.results_on.isoformat(),
            "nominations": [{"id": n.id, "title": n.title, "min_entries": n.min_entries} for n in c.nominations],
            "criteria": [{"id": k.id, "title": k.title, "min": k.min_score, "max": k.max_score} for k in c.criteria]}


@city_api.route("/contests", methods=["GET"])
@allow(SEE_CONTESTS)
def list_contests():
    return jsonify({"items": [contest_json(c) for c in services.contests()]})


@city_api.route("/contests/<int:contest_id>/entries", methods=["GET"])
@allow(RUN_CONTESTS)
def list_entries(contest_id: int):
    row = services.contest(contest_id)
    return jsonify({"items": [{"id": e.id, "institution_id": e.institution_id, "nomination_id": e.nomination_id,
                               "title": e.title, "state": e.state.value} for e in services.entries(row)]})


@city_api.route("/contests/<int:contest_id>/scores", methods=["GET", "POST"])
@allow(SCORE_ENTRIES)
def my_scores(contest_id: int):
    """The juror's own score sheets only (blind judging); POST {"assignment_id", "scores": {criterion_id: n}}."""
    row = services.contest(contest_id)
    juror = services.juror_of(row, current_user.id)
    if request.method == "POST":
        body = base.json_body()
        assignment = next((a for a in services.my_assignments(juror) if a.id == body.get("assignment_id")), None)
        if assignment is None:
            raise Invalid("assignment_id", "Заявка вам не назначена.")
        services.score(row, assignment, current_user.id, {str(k): v for k, v in (body.get("scores") or {}).items()},
                       {str(k): v for k, v in (body.get("comments") or {}).items()})
    return jsonify({"items": [{"assignment_id": a.id, "entry_id": a.entry_id, "entry_title": a.entry.title,
                               "scores": {str(cid): s.score for cid, s in services.scores_of(a).items()}}
                              for a in services.my_assignments(juror)]})


@city_api.route("/contests/<int:contest_id>/results", methods=["GET"])
@allow(SEE_CONTESTS)
def results(contest_id: int):
    row = services.contest(contest_id)
    if row.state is not ContestState.PUBLISHED:
        raise Invalid("state", "Итоги ещё не опубликованы.")
    version = int_arg("version", row.results_version)
    return jsonify({"version": version, "items": [
        {"nomination_id": r.nomination_id, "entry_id": r.entry_id, "entry_title": r.entry.title,
         "institution": r.entry.institution.short_name, "mean_total": r.mean_total, "rank": r.rank, "place": r.place,
         "held": r.held, "note": r.note} for r in services.results(row, version)]})


_tag = "contests"
for path, summary in (("/m/{muni_slug}/contests", "Конкурсы"), ("/m/{muni_slug}/contests/{contest_id}/entries", "Заявки"),
                      ("/m/{muni_slug}/contests/{contest_id}/scores", "Мои оценки (член жюри)"),
                      ("/m/{muni_slug}/contests/{contest_id}/results", "Итоги (версия ?version=)")):
    base.document(path, "get", summary, tag=_tag)
base.OPENAPI_SCHEMAS["ScoreInput"] = {
    "type": "object", "required": ["assignment_id", "scores"], "additionalProperties": False,
    "properties": {"assignment_id": {"type": "integer"},
                   "scores": {"type": "object", "description": "id критерия → балл",
                              "additionalProperties": {"type": ["integer", "string"], "maxLength": 10}},
                   "comments": {"type": "object", "additionalProperties": {"type": ["string", "null"], "maxLength": 2000}}}}
base.document("/m/{muni_slug}/contests/{contest_id}/scores", "post", "Выставить оценки заявке (член жюри)",
              body="ScoreInput", tag=_tag)


def register_api(app) -> None:
    csrf.exempt(city_api)
    app.register_blueprint(city_api)
