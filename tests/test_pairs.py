"""The pair's daily work: meetings planned ahead and logged after, an .ics in each meeting's notice, a personal
calendar feed with a secret revocable address, messages between mentor and mentee, inactivity nudges."""
from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlparse

from icalendar import Calendar

from portal.extensions import db
from portal.mail import OutboxMessage
from portal.mentoring.models import Meeting
from portal.mentoring.states import GroupFormat
from portal.notifications.models import Notification
from portal.pairs import nudges
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tests.factories import make_group, make_institution, make_staff, make_user

FUTURE = date.today() + timedelta(days=10)


def _person(inst, role):
    user = make_user((role, inst))
    staff = make_staff(inst, user_id=user.id)
    return user, staff


def _notes(user, kind):
    with platform_scope("test"):
        return list(db.session.execute(db.select(Notification).where(
            Notification.user_id == user.id, Notification.kind == kind)).scalars())


def _plan(client, inst, group, **fields):
    data = {"held_on": FUTURE.strftime("%d.%m.%Y"), "starts_at": "15:30", "duration_minutes": "60",
            "topic": "Планирование занятий", "place": "Кабинет 12", "agenda": "Разбор конспекта"} | fields
    return client.post(f"/i/{inst.slug}/pairs/{group.id}/meetings", data=data)


def test_a_meetings_notice_carries_its_ics(app, client, login):
    inst = make_institution()
    mentor_user, mentor = _person(inst, Role.MENTOR)
    mentee_user, mentee = _person(inst, Role.MENTEE)
    group = make_group(inst, mentors=[mentor], mentees=[mentee])
    login(mentor_user)
    assert _plan(client, inst, group).status_code == 302
    [note] = _notes(mentee_user, "meeting_planned")
    assert "15:30" in note.title and _notes(mentor_user, "meeting_planned") == []   # the planner is not told
    with platform_scope("test"):
        message = db.session.execute(db.select(OutboxMessage).where(OutboxMessage.recipient == mentee_user.email)
                                     ).scalars().one()
    event = Calendar.from_ical(message.calendar).walk("VEVENT")[0]
    assert str(event["summary"]) == "Встреча наставничества: Планирование занятий"
    assert event.decoded("dtstart").date() == FUTURE and event.decoded("dtstart").hour == 15
    assert str(event["location"]) == "Кабинет 12"
    with institution_scope(inst.id):
        meeting = db.session.execute(db.select(Meeting)).scalar_one()
    ics = client.get(f"/i/{inst.slug}/pairs/{group.id}/meetings/{meeting.id}/meeting.ics")
    assert ics.headers["Content-Type"].startswith("text/calendar")
    assert Calendar.from_ical(ics.data).walk("VEVENT")[0]["uid"] == event["uid"]


def test_a_meeting_is_planned_ahead_then_logged_after(app, client, login):
    inst = make_institution()
    mentor_user, mentor = _person(inst, Role.MENTOR)
    group = make_group(inst, mentors=[mentor])
    login(mentor_user)
    r = _plan(client, inst, group, held_on=(date.today() - timedelta(days=1)).strftime("%d.%m.%Y"))
    assert r.status_code == 422 and "запишите её как состоявшуюся" in r.get_data(as_text=True)
    assert _plan(client, inst, group, place="", link="").status_code == 422    # where: a place or a link
    _plan(client, inst, group, held_on=date.today().strftime("%d.%m.%Y"), place="", link="https://meet.example.ru/a")
    with institution_scope(inst.id):
        meeting = db.session.execute(db.select(Meeting)).scalar_one()
        assert meeting.state == "planned" and meeting.format is GroupFormat.REMOTE
    client.post(f"/i/{inst.slug}/pairs/{group.id}/meetings/{meeting.id}/held",
                data={"duration_minutes": "50", "notes": "Разобрали конспект"})
    with institution_scope(inst.id):
        meeting = db.session.get(Meeting, meeting.id)
        assert (meeting.state, meeting.duration_minutes, meeting.notes) == ("held", 50, "Разобрали конспект")


def test_an_ical_feed_parses_and_lists_the_persons_meetings_only(app, client, login):
    from portal.association.models import Association, AssociationMeeting, AssociationMember

    inst, other = make_institution(), make_institution()
    mentor_user, mentor = _person(inst, Role.MENTOR)
    mentee_user, mentee = _person(inst, Role.MENTEE)
    stranger_mentor_user, stranger_mentor = _person(inst, Role.MENTOR)
    mine = make_group(inst, mentors=[mentor], mentees=[mentee])
    theirs = make_group(inst, mentors=[stranger_mentor])
    login(mentor_user)
    _plan(client, inst, mine, topic="Наша встреча")
    login(stranger_mentor_user)
    _plan(client, inst, theirs, topic="Чужая встреча")
    elsewhere = make_staff(other, user_id=mentee_user.id)      # the same person on another institution's staff,
    make_group(other, mentees=[elsewhere])                      # with no role there: not in the feed
    with platform_scope("test"):
        shmo = Association(institution_id=inst.id, kind="shmo", name="ШМО наставников")
        shmo.members.append(AssociationMember(institution_id=inst.id, staff_id=mentee.id, joined_on=date.today()))
        db.session.add(shmo)
        db.session.flush()
        db.session.add(AssociationMeeting(institution_id=inst.id, association_id=shmo.id, number=1, topic="Итоги",
                                          academic_year="2024-2025", held_on=FUTURE, starts_at="16:00"))
        db.session.commit()
    login(mentee_user)
    page = client.post("/calendar/token").get_data(as_text=True)
    address = page.split('readonly value="')[1].split('"')[0].replace('&amp;', '&')
    assert mentee.last_name not in address and "key=" in address
    feed_url = urlparse(address)
    feed = Calendar.from_ical(app.test_client().get(f"{feed_url.path}?{feed_url.query}").data)
    summaries = sorted(str(e["summary"]) for e in feed.walk("VEVENT"))
    assert summaries == ["Встреча наставничества: Наша встреча", "Заседание: ШМО наставников — Итоги"]
    client.post("/calendar/token")                               # a new address revokes the old one
    assert Calendar.from_ical(app.test_client().get(f"{feed_url.path}?{feed_url.query}").data).walk("VEVENT") == []
    client.post("/calendar/token/revoke")
    assert "Подписка не включена" in client.get("/calendar").get_data(as_text=True)


def test_messages_between_mentor_and_mentee_notify_the_other_and_stay_in_the_pair(app, client, login):
    inst = make_institution()
    mentor_user, mentor = _person(inst, Role.MENTOR)
    mentee_user, mentee = _person(inst, Role.MENTEE)
    outsider_user, _ = _person(inst, Role.MENTOR)
    group = make_group(inst, mentors=[mentor], mentees=[mentee])
    login(mentor_user)
    assert client.post(f"/i/{inst.slug}/pairs/{group.id}/messages", data={"text": " "}).status_code == 422
    client.post(f"/i/{inst.slug}/pairs/{group.id}/messages", data={"text": "Пришлите конспект до пятницы"})
    [note] = _notes(mentee_user, "pair_message")
    assert note.body == "Пришлите конспект до пятницы" and _notes(mentor_user, "pair_message") == []
    login(mentee_user)
    assert "Пришлите конспект до пятницы" in client.get(f"/i/{inst.slug}/pairs/{group.id}").get_data(as_text=True)
    login(outsider_user)
    assert client.get(f"/i/{inst.slug}/pairs/{group.id}").status_code == 404
    assert client.post(f"/i/{inst.slug}/pairs/{group.id}/messages", data={"text": "Привет"}).status_code == 404
    login(make_user((Role.CURATOR, inst)))     # the curator oversees the pair but does not write in it
    assert client.get(f"/i/{inst.slug}/pairs/{group.id}").status_code == 200
    assert client.post(f"/i/{inst.slug}/pairs/{group.id}/messages", data={"text": "Привет"}).status_code == 403


def test_a_pair_with_no_activity_for_the_set_weeks_nudges_the_mentor_once_then_the_curator_once(app, client, login):
    inst = make_institution()
    mentor_user, mentor = _person(inst, Role.MENTOR)
    curator = make_user((Role.CURATOR, inst))
    start = date(2025, 9, 1)
    group = make_group(inst, mentors=[mentor], start=start)
    login(curator)
    assert client.post(f"/i/{inst.slug}/pairs/settings", data={"inactivity_weeks": "3"}).status_code == 302
    with institution_scope(inst.id):
        assert nudges.inactivity_weeks() == 3
        assert nudges.nudge_inactive(inst, start + timedelta(days=20)) == nudges.Nudged(0, 0)
        assert nudges.nudge_inactive(inst, start + timedelta(days=21)) == nudges.Nudged(1, 0)
        assert nudges.nudge_inactive(inst, start + timedelta(days=30)) == nudges.Nudged(0, 0)
        assert nudges.nudge_inactive(inst, start + timedelta(days=42)) == nudges.Nudged(0, 1)
        assert nudges.nudge_inactive(inst, start + timedelta(days=60)) == nudges.Nudged(0, 0)
        db.session.add(Meeting(group_id=group.id, held_on=start + timedelta(days=61), duration_minutes=40,
                               format=GroupFormat.IN_PERSON, topic="Снова встретились", state="held"))
        db.session.commit()
        assert nudges.nudge_inactive(inst, start + timedelta(days=70)) == nudges.Nudged(0, 0)
        assert nudges.nudge_inactive(inst, start + timedelta(days=82)) == nudges.Nudged(1, 0)   # a new lull
    assert len(_notes(mentor_user, "pair_inactive")) == 2 and len(_notes(curator, "pair_inactive_curator")) == 1
    with institution_scope(inst.id):
        nudges.save_settings({"inactivity_weeks": "0"})
        assert nudges.nudge_inactive(inst, start + timedelta(days=300)) == nudges.Nudged(0, 0)


def test_nudges_run_daily_from_the_beat(app):
    from tasks.schedule import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["daily-inactivity-nudges"]["task"] == "nudges.daily"
    assert "nudges.daily" in app.extensions["celery"].tasks and "nudges.institution" in app.extensions["celery"].tasks


def test_api_plans_logs_and_writes_as_the_pages_do(app):
    from portal.accounts.services import create_api_token

    inst = make_institution()
    mentor_user, mentor = _person(inst, Role.MENTOR)
    mentee_user, mentee = _person(inst, Role.MENTEE)
    group = make_group(inst, mentors=[mentor], mentees=[mentee])
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(mentor_user, "t")
    base = f"/api/v1/i/{inst.slug}/pairs/{group.id}"
    assert client.post(f"{base}/meetings", json={"date": FUTURE.isoformat()}).status_code == 422
    planned = client.post(f"{base}/meetings", json={"date": FUTURE.isoformat(), "starts_at": "10:00",
                                                    "topic": "Открытое занятие", "link": "https://meet.example.ru/b"})
    assert planned.status_code == 201 and planned.get_json()["state"] == "planned"
    ics = client.get(f"{base}/meetings/{planned.get_json()['id']}/meeting.ics")
    assert Calendar.from_ical(ics.data).walk("VEVENT")[0].decoded("dtstart").hour == 10
    assert client.post(f"{base}/messages", json={"text": "До встречи"}).status_code == 201
    pair = client.get(base).get_json()
    assert [m["topic"] for m in pair["meetings"]] == ["Открытое занятие"] and pair["messages"][0]["text"] == "До встречи"
    assert client.post(f"{base}/meetings/{planned.get_json()['id']}/cancel").get_json()["state"] == "cancelled"
    subscription = client.post("/api/v1/calendar/token")
    assert subscription.status_code == 201 and "key=" in subscription.get_json()["address"]
    assert client.get("/api/v1/calendar").get_json()["subscribed"] is True
    assert client.delete("/api/v1/calendar/token").status_code == 204
