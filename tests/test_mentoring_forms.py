"""Every form of seed §2.3 with the people it needs: a partner's employee or a student with consent and the least
personal data; speed mentoring as one meeting with no program; forms combined in one pair; the forms page."""
from __future__ import annotations

import io
from datetime import date, timedelta

from docx import Document

from portal.accounts.services import create_api_token
from portal.extensions import db
from portal.mentoring.models import GroupMember, MentoringForm
from portal.mentoring.people import ExternalPerson
from portal.mentoring.states import PARTNER_FORMS, GroupState
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tests.factories import make_institution, make_staff, make_user


def _api(app, user):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(user, "test")
    return client


def _form_id(client, base, name):
    return next(f["id"] for f in client.get(f"{base}/forms").get_json()["items"] if f["name"] == name)


def _college(inst):
    from portal.partners.models import Partner

    with platform_scope("setup"):
        row = Partner(institution_id=inst.id, name="Педагогический колледж № 1", kind="college")
        db.session.add(row)
        db.session.commit()
        return row.id


def test_a_pair_of_a_college_teacher_and_a_young_teacher_of_the_institution_is_formed_and_approved_by_order(app):
    inst = make_institution()
    curator, head = make_user((Role.CURATOR, inst)), make_user((Role.HEAD, inst))
    young = make_staff(inst, last_name="Молодцова", first_name="Дарья", pedagogical_start=date(2024, 9, 1))
    api, boss = _api(app, curator), _api(app, head)
    base = f"/api/v1/i/{inst.slug}"
    college = _college(inst)
    # No record without written consent; a partner's employee names the partner.
    bad = api.post(f"{base}/outside-people", json={"kind": "partner_employee", "last_name": "Преподавателева",
                                                   "first_name": "Ольга", "consent_date": ""})
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"consent_date", "partner_id"}
    assert "согласия" in bad.get_json()["error"]["fields"]["consent_date"]
    r = api.post(f"{base}/outside-people", json={"kind": "partner_employee", "partner_id": college,
                                                 "last_name": "Преподавателева", "first_name": "Ольга",
                                                 "middle_name": "Игоревна", "position": "преподаватель",
                                                 "consent_date": "01.09.2024"})
    assert r.status_code == 201, r.get_json()
    teacher = r.get_json()
    assert teacher["organisation"] == "Педагогический колледж № 1" and set(teacher) == {
        "id", "kind", "name", "partner_id", "organisation", "position", "consent_date"}   # nothing more is kept
    # The staff-only form refuses her; the form «педагог вуза/колледжа – молодой педагог» takes her.
    traditional = _form_id(api, base, "Традиционная форма наставничества («один-на-один»)")
    refused = api.post(f"{base}/groups", json={"form_id": traditional, "mentor_ids": [], "mentee_ids": [young.id],
                                               "external_mentor_ids": [teacher["id"]], "start_date": "02.09.2024"})
    assert refused.status_code == 422 and "external_mentor_ids" in refused.get_json()["error"]["fields"]
    college_form = _form_id(api, base, PARTNER_FORMS[1])
    r = api.post(f"{base}/groups", json={"form_id": college_form, "mentor_ids": [], "mentee_ids": [young.id],
                                         "external_mentor_ids": [teacher["id"]], "start_date": "02.09.2024"})
    assert r.status_code == 201, r.get_json()
    group = r.get_json()
    mentor = next(m for m in group["members"] if m["role"] == "mentor")
    assert (mentor["staff_id"], mentor["external_id"], mentor["name"]) == (None, teacher["id"], "Преподавателева О. И.")
    for m in group["members"]:
        assert api.post(f"{base}/groups/{group['id']}/members/{m['id']}/consent",
                        json={"consent_date": "02.09.2024"}).status_code == 200
    order = api.post(f"{base}/orders", json={"kind": "pairs", "number": "77-О", "issued_on": "2024-09-03",
                                             "title": "О закреплении наставнических пар",
                                             "items": "1. Закрепить наставническую пару согласно приложению.",
                                             "group_ids": [group["id"]], "appendices": [{"kind": "group_list"}]})
    assert order.status_code == 201, order.get_json()
    order = order.get_json()
    assert [a["staff_id"] for a in order["acknowledgements"]] == [young.id]   # she signs the paper copy
    issued = boss.post(f"{base}/orders/{order['id']}/issue")
    assert issued.status_code == 200, issued.get_json()
    assert api.get(f"{base}/groups/{group['id']}").get_json()["state"] == GroupState.APPROVED.value
    text = "\n".join(c.text for t in Document(io.BytesIO(api.get(f"{base}/orders/{order['id']}/order.docx").data)).tables
                     for row in t.rows for c in row.cells)
    assert "Преподавателева Ольга Игоревна" in text and "Молодцова Дарья" in text


def test_a_student_is_a_mentee_only_in_a_form_that_admits_students_and_is_erased_with_the_membership(app, client, login):
    inst = make_institution()
    login(make_user((Role.CURATOR, inst)))
    mentor = make_staff(inst)
    r = client.post(f"/i/{inst.slug}/mentoring/outside-people", data={
        "kind": "student", "last_name": "Студентова", "first_name": "Алина", "position": "студентка 3 курса",
        "consent_date": date.today().strftime("%d.%m.%Y")})
    assert r.status_code == 302
    with institution_scope(inst.id):
        from portal.mentoring import banks

        student = db.session.query(ExternalPerson).one()
        form = next(f for f in banks.forms() if f.name == PARTNER_FORMS[0])
        student_id, form_id = student.id, form.id
    r = client.post(f"/i/{inst.slug}/mentoring/groups", data={
        "form_id": form_id, "mentor_ids": [mentor.id], "external_mentee_ids": [student_id], "start_date": "02.09.2024"})
    assert r.status_code == 302, r.get_data(as_text=True)
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Студентова Алина" in page and "студентка 3 курса" in page
    assert client.post(f"/i/{inst.slug}/mentoring/outside-people/{student_id}/erase").status_code == 302
    with institution_scope(inst.id):
        assert db.session.query(ExternalPerson).count() == 0
        assert db.session.query(GroupMember).filter(GroupMember.staff_id.is_(None)).count() == 0


def test_a_speed_mentoring_meeting_needs_no_program(app, client, login):
    inst = make_institution()
    user = make_user((Role.CURATOR, inst))
    login(user)
    expert, first, second = make_staff(inst), make_staff(inst), make_staff(inst)
    with institution_scope(inst.id):
        from portal.mentoring import banks, groups

        banks.forms()
        # A mentee with a pair of her own still comes to a speed meeting.
        traditional = db.session.query(MentoringForm).filter(MentoringForm.name.like("Традиционная%")).one()
        groups.form_group(inst, {"form_id": traditional.id, "mentor_ids": [make_staff(inst).id],
                                 "mentee_ids": [first.id], "start_date": "02.09.2024"}, None)
    bad = client.post(f"/i/{inst.slug}/mentoring/speed", data={"mentor_ids": [expert.id], "held_on": "31.02.2024"})
    assert bad.status_code == 422 and "Дата встречи" in bad.get_data(as_text=True)
    r = client.post(f"/i/{inst.slug}/mentoring/speed", data={
        "mentor_ids": [expert.id], "mentee_ids": [first.id, second.id], "held_on": date.today().strftime("%d.%m.%Y"),
        "topic": "Как готовиться к конкурсу профмастерства", "duration_minutes": "30", "held": "on",
        "notes": "Цели на год сформулированы"})
    assert r.status_code == 302, r.get_data(as_text=True)
    with institution_scope(inst.id):
        from portal.mentoring.models import Meeting, MentoringGroup
        from portal.programs.models import Program
        from portal.programs import services as programs
        from portal.errors import Invalid
        import pytest

        speed = db.session.query(MentoringGroup).join(MentoringForm, MentoringForm.id == MentoringGroup.form_id).filter(
            MentoringForm.kind == "speed").one()
        assert speed.state is GroupState.COMPLETED          # one meeting, and the pair is done
        assert db.session.query(Meeting).filter_by(group_id=speed.id, state="held").count() == 1
        assert db.session.query(Program).count() == 0
        with pytest.raises(Invalid, match="программа для него не составляется"):
            programs.create_program(speed, first.id, {"title": "х", "goal": "х", "start_date": date.today(),
                                                      "end_date": date.today() + timedelta(days=120)})
    # Planned ahead through the API: the pair is working, with no order and no program.
    api = _api(app, user)
    r = api.post(f"/api/v1/i/{inst.slug}/speed-meetings", json={
        "mentor_ids": [expert.id], "mentee_ids": [second.id], "date": (date.today() + timedelta(days=7)).isoformat(),
        "topic": "Карьерные цели", "place": "Методический кабинет"})
    assert r.status_code == 201, r.get_json()
    assert (r.get_json()["group"]["state"], r.get_json()["meeting"]["state"]) == ("active", "planned")


def test_several_forms_are_combined_in_one_group_and_a_long_one_asks_for_a_program(app):
    inst = make_institution()
    api = _api(app, make_user((Role.CURATOR, inst)))
    base = f"/api/v1/i/{inst.slug}"
    group_form = _form_id(api, base, "Наставничество в группе")
    virtual = _form_id(api, base, "Виртуальное (дистанционное) наставничество")
    situational = _form_id(api, base, "Ситуационное наставничество")
    r = api.post(f"{base}/groups", json={"form_id": group_form, "form_ids": [virtual, situational],
                                         "mentor_ids": [make_staff(inst).id],
                                         "mentee_ids": [make_staff(inst).id, make_staff(inst).id],
                                         "start_date": "02.09.2024"})
    assert r.status_code == 201 and r.get_json()["form_ids"] == [group_form, virtual, situational]
    with institution_scope(inst.id):
        from portal.mentoring.forms_rules import needs_program, on_demand
        from portal.mentoring.groups import group

        row = group(r.get_json()["id"])
        assert row.forms_label == "Наставничество в группе + Виртуальное (дистанционное) наставничество + " \
                                  "Ситуационное наставничество"
        assert needs_program(row) and not on_demand(row)


def test_the_institutions_own_forms_are_edited_on_their_page_after_the_seeds_in_its_order(app, client, login):
    inst = make_institution()
    login(make_user((Role.CURATOR, inst)))
    page = client.get(f"/i/{inst.slug}/mentoring/forms").get_data(as_text=True)
    from portal.mentoring.states import FORMS_ORDER

    positions = [page.index(name.replace("«", "&#171;").replace("»", "&#187;")) if name not in page else page.index(name)
                 for name in FORMS_ORDER]
    assert positions == sorted(positions)
    bad = client.post(f"/i/{inst.slug}/mentoring/forms", data={"name": "", "kind": "weekly"})
    assert bad.status_code == 422 and "Укажите название" in bad.get_data(as_text=True)
    assert client.post(f"/i/{inst.slug}/mentoring/forms", data={
        "name": "Флеш-наставничество", "kind": "situational", "mentors_from": "staff",
        "mentees_from": "staff"}).status_code == 302
    with institution_scope(inst.id):
        own = db.session.query(MentoringForm).filter_by(name="Флеш-наставничество").one()
        builtin = db.session.query(MentoringForm).filter_by(name="Скоростное наставничество").one()
        own_id, builtin_id = own.id, builtin.id
    assert client.post(f"/i/{inst.slug}/mentoring/forms/{own_id}", data={
        "name": "Флеш-встречи", "kind": "speed", "mentors_from": "staff", "mentees_from": "staff",
        "description": "Короткие встречи", "archived": "on"}).status_code == 302
    client.post(f"/i/{inst.slug}/mentoring/forms/{builtin_id}", data={"name": "Другое имя", "kind": "long"})
    with institution_scope(inst.id):
        own, builtin = db.session.get(MentoringForm, own_id), db.session.get(MentoringForm, builtin_id)
        assert (own.name, own.kind, own.archived) == ("Флеш-встречи", "speed", True)
        assert (builtin.name, builtin.kind) == ("Скоростное наставничество", "speed")   # the seed's form keeps both
        from portal.mentoring import banks

        assert [f.name for f in banks.forms()][-1] != "Флеш-встречи"                     # archived: not offered


def test_a_speed_meeting_takes_a_partners_employee_as_its_mentor_on_the_page(app, client, login):
    inst = make_institution()
    login(make_user((Role.CURATOR, inst)))
    college = _college(inst)
    mentee = make_staff(inst)
    with institution_scope(inst.id):
        from portal.mentoring import banks, outsiders

        banks.forms()
        guest = outsiders.add_person({"kind": "partner_employee", "partner_id": college, "last_name": "Гостева",
                                      "first_name": "Анна", "consent_date": date.today().strftime("%d.%m.%Y")})
        guest_id = guest.id
    assert "Гостева Анна" in client.get(f"/i/{inst.slug}/mentoring/speed").get_data(as_text=True)
    r = client.post(f"/i/{inst.slug}/mentoring/speed", data={
        "external_mentor_ids": [guest_id], "mentee_ids": [mentee.id], "held": "on", "topic": "Профессия учителя",
        "held_on": date.today().strftime("%d.%m.%Y")})
    assert r.status_code == 302, r.get_data(as_text=True)
    with institution_scope(inst.id):
        member = db.session.query(GroupMember).filter_by(external_id=guest_id).one()
        assert member.group.state is GroupState.COMPLETED
