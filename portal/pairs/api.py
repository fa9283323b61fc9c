"""The pair's page in the JSON API: meetings planned and logged, their .ics, messages; the nudges setting — as on the
pages; speed meetings (seed §2.3) formed and held in one step (the personal calendar subscription:
portal/calendar/api.py)."""
from __future__ import annotations

from flask import Response, g, jsonify
from flask_login import current_user

from portal.api import base
from portal.documents.ics import ICS_MIME
from portal.extensions import csrf
from portal.api.schemas import ID, INPUT_DAY, NULLABLE_ID, array, obj, ref, strict, text
from portal.mentoring.api import group_json
from portal.mentoring.groups import group as get_group
from portal.pairs import nudges, services
from portal.pairs.speed import speed_meeting
from tenants.access import (EDIT_MENTORING, KEEP_PAIR_MEETINGS, OVERSEE_MENTORING, SET_UP_MENTORING,
                            VIEW_INSTITUTION, WRITE_PAIR_MESSAGES, allow, can)

inst_api = base.api_institution_blueprint("pairs_api", __name__)


def _iso(d):
    return d.isoformat() if d else None


def meeting_json(m) -> dict:
    return {"id": m.id, "state": m.state, "date": _iso(m.held_on), "starts_at": m.starts_at,
            "duration_minutes": m.duration_minutes, "topic": m.topic, "place": m.place, "link": m.link,
            "agenda": m.agenda, "notes": m.notes}


def _group(group_id: int):
    return services.visible(current_user, can(OVERSEE_MENTORING), get_group(group_id))


def _str(body: dict, key: str) -> str:
    return "" if body.get(key) is None else str(body.get(key))


@inst_api.get("/pairs/<int:group_id>")
@allow(VIEW_INSTITUTION)
def get_pair(group_id: int):
    group = _group(group_id)
    found = services.meetings(group)
    return jsonify({"id": group.id, "state": group.state.value,
                    "meetings": [meeting_json(m) for key in ("planned", "held", "cancelled") for m in found[key]],
                    "messages": [{"id": m.id, "author_staff_id": m.author_staff_id,
                                  "author": m.author.short_name if m.author else "", "text": m.text,
                                  "at": m.at.isoformat() + "Z"} for m in services.messages(group)]})


@inst_api.post("/pairs/<int:group_id>/meetings")
@allow(KEEP_PAIR_MEETINGS)
def plan_meeting(group_id: int):
    group = _group(group_id)
    body = base.json_body()
    data = {k: _str(body, k) for k in ("starts_at", "duration_minutes", "place", "link", "topic", "agenda")}
    row = services.plan_meeting(group, {**data, "held_on": _str(body, "date")}, current_user, can(OVERSEE_MENTORING))
    return jsonify(meeting_json(row)), 201


@inst_api.post("/pairs/<int:group_id>/meetings/<int:pair_meeting_id>/held")
@allow(KEEP_PAIR_MEETINGS)
def log_meeting(group_id: int, pair_meeting_id: int):
    group = _group(group_id)
    row = services.meeting(group, pair_meeting_id)
    body = base.json_body()
    services.log_meeting(group, row, {"duration_minutes": _str(body, "duration_minutes"), "notes": _str(body, "notes")},
                         current_user, can(OVERSEE_MENTORING))
    return jsonify(meeting_json(row))


@inst_api.post("/pairs/<int:group_id>/meetings/<int:pair_meeting_id>/cancel")
@allow(KEEP_PAIR_MEETINGS)
def cancel_meeting(group_id: int, pair_meeting_id: int):
    group = _group(group_id)
    row = services.meeting(group, pair_meeting_id)
    services.cancel_meeting(group, row, current_user, can(OVERSEE_MENTORING))
    return jsonify(meeting_json(row))


@inst_api.get("/pairs/<int:group_id>/meetings/<int:pair_meeting_id>/meeting.ics")
@allow(VIEW_INSTITUTION)
def meeting_ics(group_id: int, pair_meeting_id: int):
    row = services.meeting(_group(group_id), pair_meeting_id)
    return Response(services.meeting_ics(row, g.institution.short_name), headers={"Content-Type": ICS_MIME})


@inst_api.post("/pairs/<int:group_id>/messages")
@allow(WRITE_PAIR_MESSAGES)
def post_message(group_id: int):
    group = _group(group_id)
    row = services.post_message(group, _str(base.json_body(), "text"), current_user)
    return jsonify({"id": row.id, "text": row.text, "at": row.at.isoformat() + "Z"}), 201


@inst_api.get("/mentoring-settings")
@allow(VIEW_INSTITUTION)
def get_settings():
    return jsonify({"inactivity_weeks": nudges.inactivity_weeks()})


@inst_api.put("/mentoring-settings")
@allow(SET_UP_MENTORING)
def put_settings():
    body = base.json_body()
    row = nudges.save_settings({"inactivity_weeks": _str(body, "inactivity_weeks")})
    return jsonify({"inactivity_weeks": row.inactivity_weeks})


@inst_api.post("/speed-meetings")
@allow(EDIT_MENTORING)
def create_speed_meeting():
    body = base.json_body()
    data = {**base.strings(body, "form_id", "starts_at", "duration_minutes", "place", "link", "topic", "agenda",
                           "notes"),
            "held_on": "" if body.get("date") is None else str(body["date"]), "held": bool(body.get("held")),
            **{k: body.get(k) or [] for k in ("mentor_ids", "mentee_ids", "external_mentor_ids",
                                              "external_mentee_ids")}}
    group, meeting = speed_meeting(g.institution, data, current_user)
    return jsonify({"group": group_json(group), "meeting": meeting_json(meeting)}), 201


_tag = "pairs"
base.OPENAPI_SCHEMAS.update({
    "PairMeeting": {"type": "object", "properties": {
        "id": {"type": "integer"}, "state": {"type": "string", "enum": ["planned", "held", "cancelled"]},
        "date": {"type": "string", "format": "date"}, "starts_at": {"type": "string"},
        "duration_minutes": {"type": "integer"}, "topic": {"type": "string"}, "place": {"type": "string"},
        "link": {"type": "string"}, "agenda": {"type": "string"}, "notes": {"type": "string"}}},
    "Pair": {"type": "object", "properties": {
        "id": {"type": "integer"}, "state": {"type": "string"},
        "meetings": {"type": "array", "items": {"$ref": "#/components/schemas/PairMeeting"}},
        "messages": {"type": "array", "items": {"type": "object"}}}},
    "PairMeetingInput": {"type": "object", "additionalProperties": False, "required": ["date", "topic"], "properties": {
        "date": {"type": "string", "format": "date"}, "starts_at": {"type": "string", "maxLength": 5},
        "duration_minutes": {"type": ["integer", "string"], "maxLength": 4}, "topic": {"type": "string", "maxLength": 500},
        "place": {"type": "string", "maxLength": 300}, "link": {"type": "string", "maxLength": 500},
        "agenda": {"type": "string", "maxLength": 5000}}},
    "PairMeetingHeldInput": {"type": "object", "additionalProperties": False, "properties": {
        "duration_minutes": {"type": ["integer", "string"], "maxLength": 4}, "notes": {"type": "string", "maxLength": 5000}}},
    "PairMessageInput": {"type": "object", "additionalProperties": False, "required": ["text"], "properties": {
        "text": {"type": "string", "maxLength": 5000}}},
    "SpeedMeetingInput": strict(["date", "topic"], form_id=NULLABLE_ID, mentor_ids=array(ID, 10),
                                mentee_ids=array(ID, 30), external_mentor_ids=array(ID, 10),
                                external_mentee_ids=array(ID, 30), date=INPUT_DAY, starts_at=text(5),
                                duration_minutes={"type": ["integer", "string", "null"]}, place=text(300),
                                link=text(500), topic=text(500), agenda=text(5000), notes=text(5000),
                                held={"type": ["boolean", "null"]}),
    "SpeedMeeting": obj(group=ref("Group"), meeting=ref("PairMeeting")),
    "MentoringSettings": {"type": "object", "additionalProperties": False, "required": ["inactivity_weeks"],
                          "properties": {"inactivity_weeks": {"type": "integer", "minimum": 0, "maximum": 26}}},
})
_p = "/i/{inst_slug}/pairs/{group_id}"
base.document(_p, "get", "Страница пары: встречи и сообщения", response="Pair", tag=_tag)
base.document(_p + "/meetings", "post", "Запланировать встречу (участники получают приглашение с .ics)",
              body="PairMeetingInput", response="PairMeeting", status="201", tag=_tag)
base.document(_p + "/meetings/{pair_meeting_id}/held", "post", "Встреча состоялась", body="PairMeetingHeldInput",
              response="PairMeeting", tag=_tag)
base.document(_p + "/meetings/{pair_meeting_id}/cancel", "post", "Отменить встречу", response="PairMeeting", tag=_tag)
base.document(_p + "/meetings/{pair_meeting_id}/meeting.ics", "get", "Встреча в формате iCalendar", tag=_tag)
base.document(_p + "/messages", "post", "Сообщение на странице пары", body="PairMessageInput", status="201", tag=_tag)
base.document("/i/{inst_slug}/speed-meetings", "post", "Скоростное наставничество: разовая встреча без программы",
              body="SpeedMeetingInput", response="SpeedMeeting", tag="mentoring", status="201")
base.document("/i/{inst_slug}/mentoring-settings", "get", "Недель без активности до напоминания",
              response="MentoringSettings", tag=_tag)
base.document("/i/{inst_slug}/mentoring-settings", "put", "Изменить срок напоминаний", body="MentoringSettings",
              response="MentoringSettings", tag=_tag)


def register_api(app) -> None:
    csrf.exempt(inst_api)
    app.register_blueprint(inst_api)
