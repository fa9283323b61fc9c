"""Satisfaction surveys (seed roadmap item 18): sent when a program ends and by campaign; answers checked;
anonymous mode keeps only aggregates; results per institution and for the city; the satisfaction figure."""
from __future__ import annotations

import io
import json
from datetime import date

from openpyxl import load_workbook

from portal.extensions import db
from portal.mentoring.states import GroupState, ProgramState
from portal.notifications.models import Notification
from portal.programs import services as programs
from portal.programs.models import Program
from portal.roadmap.indicators import compute
from portal.surveys.models import SurveyCampaign, SurveyInvitation, SurveyResponse, SurveyTally
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tests.factories import make_group, make_institution, make_municipality, make_plan_item, make_program, make_staff, make_user

GOOD = {"q1": "9", "q2": "8", "q3": "yes", "q4": "Очно", "q5": ["Консультации", "Мастер-классы"], "q6": "Больше встреч"}


def _person(inst, role):
    user = make_user((role, inst))
    return user, make_staff(inst, user_id=user.id)


def _complete_program(inst, mentee, mentor):
    program = make_program(make_group(inst, mentors=[mentor], mentees=[mentee], state=GroupState.ACTIVE))
    make_plan_item(program, status=None)
    with institution_scope(inst.id), __import__("flask").current_app.test_request_context():
        row = db.session.get(Program, program.id)
        for item in row.items:
            item.status = item.status.__class__.DONE
        db.session.commit()
        programs.change_state(row, ProgramState.COMPLETED, None, "plan_done")
    return program


def test_survey_is_sent_to_mentee_and_mentor_when_a_program_ends(app):
    inst = make_institution()
    mentee_user, mentee = _person(inst, Role.MENTEE)
    mentor_user, mentor = _person(inst, Role.MENTOR)
    _complete_program(inst, mentee, mentor)
    with institution_scope(inst.id):
        invitations = db.session.query(SurveyInvitation).all()
        assert sorted(i.campaign.audience for i in invitations) == ["mentee", "mentor"]
        assert all(i.campaign.anonymous for i in invitations)
    kinds = {n.user_id for n in db.session.query(Notification).filter_by(kind="survey")}
    assert kinds == {mentee_user.id, mentor_user.id}


def test_anonymous_answers_keep_only_aggregates(app, client, login):
    inst = make_institution()
    mentee_user, mentee = _person(inst, Role.MENTEE)
    _complete_program(inst, mentee, make_staff(inst))
    with institution_scope(inst.id):
        inv = db.session.query(SurveyInvitation).filter_by(staff_id=mentee.id).one()
    login(mentee_user)
    bad = client.post(f"/i/{inst.slug}/surveys/{inv.id}", data={**GOOD, "q1": "11", "q5": []})
    assert bad.status_code == 422 and "от 1 до 10" in bad.get_data(as_text=True)
    assert client.post(f"/i/{inst.slug}/surveys/{inv.id}", data=GOOD).status_code == 302
    assert client.post(f"/i/{inst.slug}/surveys/{inv.id}", data=GOOD).status_code == 422   # once only
    with platform_scope("check"):
        assert db.session.query(SurveyResponse).count() == 0
        tally = db.session.query(SurveyTally).one()
        stored = json.dumps(tally.tallies, ensure_ascii=False)
        invitation = db.session.get(SurveyInvitation, inv.id)
    # Nothing that names or times the person: no staff id in the tally, no timestamp on the invitation.
    assert mentee.last_name not in stored and "Больше встреч" in stored   # the text, without who wrote it
    assert "staff_id" not in {c.name for c in SurveyTally.__table__.columns}
    assert {c.name for c in SurveyInvitation.__table__.columns} & {"answered_at", "updated_at", "created_at"} == set()
    assert invitation.answered is True
    assert tally.tallies[next(iter(tally.tallies))]["q1"] == {"9": 1}


def test_named_campaign_and_results_with_minimum_group(app, client, login):
    city = make_municipality()
    a, b = make_institution(city), make_institution(city)
    mentees = []
    for inst, n in ((a, 3), (b, 1)):
        for _ in range(n):
            user, staff = _person(inst, Role.MENTEE)
            make_group(inst, mentees=[staff])
            mentees.append((inst, user))
    coordinator = make_user((Role.COORDINATOR, city))
    login(coordinator)
    client.get(f"/m/{city.slug}/surveys")
    with platform_scope("check"):
        template = next(t for t in db.session.query(__import__("portal.surveys.models", fromlist=["x"]).SurveyTemplate)
                        if t.audience == "mentee")
    r = client.post(f"/m/{city.slug}/surveys", data={"template_id": template.id, "title": "Удовлетворённость, май",
                                                     "opens_on": "01.01.2024", "closes_on": "31.12.2030",
                                                     "anonymous": "1"})
    assert r.status_code == 302
    for inst, user in mentees:
        c = app.test_client()
        login(user, c)
        with institution_scope(inst.id):
            inv = db.session.query(SurveyInvitation).join(SurveyCampaign).filter(
                SurveyCampaign.origin == "campaign").filter(SurveyInvitation.staff_id.in_(
                    [s.id for s in __import__("portal.staff.models", fromlist=["Staff"]).Staff.query.filter_by(user_id=user.id)])).one()
        assert c.post(f"/i/{inst.slug}/surveys/{inv.id}", data={**GOOD, "q1": "6" if inst is b else "9"}).status_code == 302
    with platform_scope("check"):
        camp = db.session.query(SurveyCampaign).filter_by(origin="campaign").one()
    page = client.get(f"/m/{city.slug}/surveys/{camp.id}").get_data(as_text=True)
    assert "8,2" in page or "8,3" in page   # (9+9+9+6)/4 = 8.25
    assert "меньше 3 ответов" in page        # b had a single respondent: hidden
    wb = load_workbook(io.BytesIO(client.get(f"/m/{city.slug}/surveys/{camp.id}/results.xlsx").data)).active
    rows = {r[0]: r for r in wb.iter_rows(min_row=2, values_only=True)}
    assert rows[a.short_name][3] == 9 and rows[b.short_name][3] == "меньше 3 ответов" and rows["Итого"][2] == 4
    curator_b = app.test_client()
    login(make_user((Role.CURATOR, b)), curator_b)
    assert "чтобы сохранить анонимность" in curator_b.get(f"/i/{b.slug}/surveys/results/{camp.id}").get_data(as_text=True)
    api = app.test_client()
    from portal.accounts.services import create_api_token

    api.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(coordinator, "t")
    body = api.get(f"/api/v1/m/{city.slug}/surveys/{camp.id}/results").get_json()
    assert body["respondents"] == 4 and body["questions"][0]["counts"] == {"9": 3, "6": 1}


def test_satisfaction_feeds_the_indicators(app):
    inst = make_institution()
    mentee_user, mentee = _person(inst, Role.MENTEE)
    _complete_program(inst, mentee, make_staff(inst))
    with institution_scope(inst.id):
        from portal.periods import quarter_of
        from portal.surveys.services import answer
        from werkzeug.datastructures import MultiDict

        inv = db.session.query(SurveyInvitation).filter_by(staff_id=mentee.id).one()
        answer(inv, MultiDict({**{k: v for k, v in GOOD.items() if k != "q5"}, "q1": "7"}) | MultiDict([("q5", "Мастер-классы")]))
        assert compute(quarter_of(date.today()))["satisfaction"] == 7.0
        assert compute("2020-Q1")["satisfaction"] is None


def test_satisfaction_of_a_named_campaign_is_the_mean_of_its_stored_answers(app, client, login):
    """A campaign that is not anonymous stores each response: the indicator reads their answers (7 and 4 → 5.5)."""
    city = make_municipality()
    inst = make_institution(city)
    answering = []
    for _ in range(2):
        user, staff = _person(inst, Role.MENTEE)
        make_group(inst, mentees=[staff])
        answering.append((user, staff))
    login(make_user((Role.COORDINATOR, city)))
    client.get(f"/m/{city.slug}/surveys")
    with platform_scope("check"):
        template = next(t for t in db.session.query(__import__("portal.surveys.models", fromlist=["x"]).SurveyTemplate)
                        if t.audience == "mentee")
    assert client.post(f"/m/{city.slug}/surveys", data={"template_id": template.id, "title": "Удовлетворённость",
                                                         "opens_on": "01.01.2024", "closes_on": "31.12.2030"}
                       ).status_code == 302
    for (user, staff), score in zip(answering, ("7", "4")):
        c = app.test_client()
        login(user, c)
        with institution_scope(inst.id):
            inv = db.session.query(SurveyInvitation).join(SurveyCampaign).filter(
                SurveyCampaign.origin == "campaign", SurveyInvitation.staff_id == staff.id).one()
        assert c.post(f"/i/{inst.slug}/surveys/{inv.id}", data={**GOOD, "q1": score}).status_code == 302
    with institution_scope(inst.id):
        from portal.periods import quarter_of

        assert not db.session.query(SurveyCampaign).filter_by(origin="campaign").one().anonymous
        assert db.session.query(SurveyResponse).count() == 2
        assert compute(quarter_of(date.today()))["satisfaction"] == 5.5


def test_reminder_before_a_campaign_closes_once(app, client, login):
    from portal.reminders.services import send_reminders
    from portal.surveys.models import SurveyTemplate

    city = make_municipality()
    inst = make_institution(city)
    user, staff = _person(inst, Role.MENTEE)
    make_group(inst, mentees=[staff])
    login(make_user((Role.COORDINATOR, city)))
    client.get(f"/m/{city.slug}/surveys")
    with platform_scope("check"):
        template = db.session.query(SurveyTemplate).filter_by(audience="mentee").first()
    client.post(f"/m/{city.slug}/surveys", data={"template_id": template.id, "title": "Май", "opens_on": "01.05.2026",
                                                 "closes_on": "20.05.2026", "anonymous": "1"})
    with institution_scope(inst.id), app.test_request_context():
        assert send_reminders(inst, date(2026, 5, 10)).surveys == 0
        assert send_reminders(inst, date(2026, 5, 18)).surveys == 1
        assert send_reminders(inst, date(2026, 5, 19)).surveys == 0


def test_coordinator_writes_a_questionnaire_of_every_kind(app, client, login):
    from portal.surveys.models import SurveyTemplate

    city = make_municipality()
    login(make_user((Role.COORDINATOR, city)))
    text = ("шкала: Оцените семинар\nда/нет: Будете применять?\nодин: Формат | Очно; Онлайн\n"
            "несколько: Темы | Планирование; Родители; ФОП\nтекст: Пожелания")
    bad = client.post(f"/m/{city.slug}/surveys/templates", data={"title": "Семинар", "audience": "mentor",
                                                                 "questions": "вопрос без типа\nодин: Формат | Очно"})
    assert bad.status_code == 422 and "строка 1" in bad.get_data(as_text=True) and "строка 2" in bad.get_data(as_text=True)
    assert client.post(f"/m/{city.slug}/surveys/templates", data={"title": "Семинар", "audience": "mentor",
                                                                  "questions": text}).status_code == 302
    with platform_scope("check"):
        row = db.session.query(SurveyTemplate).filter_by(title="Семинар").one()
    assert [q["kind"] for q in row.questions] == ["scale10", "yesno", "single", "multi", "text"]
    assert row.questions[0]["satisfaction"] and row.questions[3]["options"] == ["Планирование", "Родители", "ФОП"]
