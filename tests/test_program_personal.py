"""A program personalized from the diagnosed difficulties: the catalogue maps each difficulty to activities; the
draft plan comes from the mentee's own difficulties and strengths; the institution keeps its own templates and
copies a program that worked; the mentee proposes items the mentor accepts (seed §1.2, §3.4, §5.1)."""
from __future__ import annotations

from datetime import date

from portal.accounts.services import create_api_token
from portal.extensions import db
from portal.mentoring.models import MenteeNeed
from portal.mentoring.states import DEFAULT_DIFFICULTIES, GroupState, MenteeCategory, ProgramState
from portal.programs.catalogue import CATALOGUE, FINAL_ACTIVITY
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tests.factories import make_group, make_institution, make_plan_item, make_program, make_staff, make_user


def _api(app, user):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(user, "test")
    return client


def _diagnose(inst, staff, codes, strengths=""):
    with platform_scope("setup"):
        db.session.add(MenteeNeed(institution_id=inst.id, staff_id=staff.id, category=MenteeCategory.YOUNG_SPECIALIST,
                                  difficulties=codes, strengths=strengths))
        db.session.commit()


def test_the_catalogue_suggests_activities_for_every_difficulty():
    assert set(CATALOGUE) == set(DEFAULT_DIFFICULTIES)
    for activities in CATALOGUE.values():
        assert activities and all(all(part.strip() for part in a) and len(a) == 4 for a in activities)


def test_a_mentee_with_two_diagnosed_difficulties_gets_a_draft_plan_whose_items_come_from_those_difficulties(app):
    inst = make_institution()
    mentee = make_staff(inst)
    group = make_group(inst, mentees=[mentee], state=GroupState.APPROVED)
    _diagnose(inst, mentee, ["parents", "digital"], strengths="Музыкальное сопровождение занятий")
    api = _api(app, make_user((Role.CURATOR, inst)))
    r = api.post(f"/api/v1/i/{inst.slug}/programs", json={"group_id": group.id, "mentee_staff_id": mentee.id,
                                                           "template": "difficulties", "start_date": "2024-09-02"})
    assert r.status_code == 201, r.get_json()
    program = r.get_json()
    assert program["state"] == ProgramState.DRAFT.value and program["end_date"] == "2025-06-02"
    assert program["difficulties"].startswith(DEFAULT_DIFFICULTIES["parents"])
    assert program["strengths"] == "Музыкальное сопровождение занятий"
    items = program["items"]
    from_difficulties = [i for i in items if i["difficulty"]]
    assert {i["difficulty"] for i in from_difficulties} == {"parents", "digital"}
    assert [i["content"] for i in from_difficulties] == [a[0] for a in CATALOGUE["parents"] + CATALOGUE["digital"]]
    assert all(i["form"] and i["expected_result"] and i["report_form"] for i in items)
    others = [i["content"] for i in items if not i["difficulty"]]
    assert others == ["Презентация опыта наставляемого по сильной стороне: Музыкальное сопровождение занятий",
                      FINAL_ACTIVITY[0]]
    dues = [i["due_date"] for i in items]
    assert dues == sorted(dues) and "2024-09-02" < dues[0] and dues[-1] == "2025-06-02"
    # A mentee with no diagnosis: a clear refusal, nothing written.
    other = make_staff(inst)
    group2 = make_group(inst, mentees=[other], state=GroupState.APPROVED)
    bad = api.post(f"/api/v1/i/{inst.slug}/programs", json={"group_id": group2.id, "mentee_staff_id": other.id,
                                                             "template": "difficulties", "start_date": "2024-09-02"})
    assert bad.status_code == 422 and "нет выявленных затруднений" in bad.get_json()["error"]["fields"]["difficulty_codes"]


def test_difficulties_chosen_on_the_page_override_the_bank_and_the_institution_offers_its_templates(app, client, login):
    inst = make_institution()
    login(make_user((Role.CURATOR, inst)))
    mentee = make_staff(inst)
    group = make_group(inst, mentees=[mentee], state=GroupState.APPROVED)
    page = client.get(f"/i/{inst.slug}/programs/new").get_data(as_text=True)
    assert "По выявленным затруднениям наставляемого" in page
    r = client.post(f"/i/{inst.slug}/programs/new", data={"pair": f"{group.id}:{mentee.id}", "template": "difficulties",
                                                          "difficulty_codes": ["discipline"], "start_date": "02.09.2024"})
    assert r.status_code == 302, r.get_data(as_text=True)
    with institution_scope(inst.id):
        from portal.programs.models import Program

        row = db.session.query(Program).one()
        assert {i.difficulty for i in row.items} == {"discipline", ""}


def test_a_program_that_worked_is_kept_as_the_institutions_template_and_copied_for_a_new_pair(app, client, login):
    inst = make_institution()
    login(make_user((Role.CURATOR, inst)))
    done = make_program(make_group(inst), state=ProgramState.ACTIVE, start=date(2023, 9, 1),
                        title="Адаптация через игру")
    make_plan_item(done, due=date(2023, 10, 2), content="Игровой практикум", form="Практикум", difficulty="methods")
    assert client.post(f"/i/{inst.slug}/programs/{done.id}/template").status_code == 422   # not completed yet
    with platform_scope("setup"):
        from portal.programs.models import Program

        db.session.get(Program, done.id).state = ProgramState.COMPLETED
        db.session.commit()
    assert client.post(f"/i/{inst.slug}/programs/{done.id}/template", data={"title": "Адаптация через игру"}).status_code == 302
    assert "Адаптация через игру" in client.get(f"/i/{inst.slug}/programs/templates").get_data(as_text=True)
    with institution_scope(inst.id):
        from portal.programs import personal, services

        key = personal.template_options()[1][0]
        assert key.startswith("own:")
        mentee = make_staff(inst)
        copy = services.create_program(make_group(inst, mentees=[mentee], state=GroupState.APPROVED), mentee.id,
                                       {"start_date": "01.09.2024"}, key)
        assert copy.title == "Адаптация через игру" and copy.end_date.year == 2025
        assert [(i.content, i.due_date, i.difficulty) for i in copy.items] == [("Игровой практикум", date(2024, 9, 29),
                                                                                "methods")]


def test_the_mentee_proposes_an_item_the_mentor_accepts_into_the_plan(app):
    inst = make_institution()
    mentee_user, mentor_user = make_user((Role.MENTEE, inst)), make_user((Role.MENTOR, inst))
    mentee, mentor = make_staff(inst, user_id=mentee_user.id), make_staff(inst, user_id=mentor_user.id)
    program = make_program(make_group(inst, mentors=[mentor], mentees=[mentee]), state=ProgramState.ACTIVE,
                           start=date(2024, 9, 1))
    me, boss = _api(app, mentee_user), _api(app, mentor_user)
    base = f"/api/v1/i/{inst.slug}/programs/{program.id}"
    bad = me.post(f"{base}/proposals", json={"content": "", "due_date": "2030-01-01"})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"content", "due_date"}
    r = me.post(f"{base}/proposals", json={"content": "Посетить мастер-класс по песочной терапии",
                                           "form": "Мастер-класс", "due_date": "2024-11-15"})
    assert r.status_code == 201 and r.get_json()["state"] == "pending"
    proposal = r.get_json()["id"]
    assert boss.post(f"{base}/proposals", json={"content": "х", "due_date": "2024-11-15"}).status_code == 403
    assert me.post(f"{base}/proposals/{proposal}/decision", json={"accept": True}).status_code == 403
    r = boss.post(f"{base}/proposals/{proposal}/decision", json={"accept": True})
    assert r.status_code == 200 and r.get_json()["state"] == "accepted"
    assert r.get_json()["item"]["content"] == "Посетить мастер-класс по песочной терапии"
    items = me.get(base).get_json()["items"]
    assert [i["due_date"] for i in items] == ["2024-11-15"]
    again = boss.post(f"{base}/proposals/{proposal}/decision", json={"accept": False, "note": "нет"})
    assert again.status_code == 422
