"""The methodological association (§3.5): members and a chair, meetings with agenda, attendance and decisions, the
protocol as DOCX in the usual layout, the plan of work; protocols and plans answer the roadmap's items 9, 14, 22
and 23 by themselves."""
from __future__ import annotations

import io
from datetime import date

from docx import Document

from portal.association.models import AssociationMeeting, MeetingState
from portal.extensions import db
from portal.roadmap import services as roadmap
from portal.roadmap.models import RoadmapTask, TaskStatus
from portal.roadmap.work_models import CityTask, CityTaskStatus, InstitutionPlanDate
from tenants.access import Role
from tenants.context import across_institutions, institution_scope
from tests.factories import make_institution, make_municipality, make_staff, make_user


def _in_city(city):
    return across_institutions(municipality_ids={city.id}, reason="test")


def _tasks(inst, number) -> dict[str, RoadmapTask]:
    with institution_scope(inst.id):
        return {t.period: t for t in db.session.execute(db.select(RoadmapTask)).scalars() if t.activity.number == number}


def _world(client, login, year=2023):
    city = make_municipality()
    inst = make_institution(city)
    with _in_city(city):
        row = roadmap.from_template(city.id)
        roadmap.generate_tasks(row, year)
    chair = make_staff(inst, last_name="Петрова", first_name="Анна", middle_name="Сергеевна")
    secretary = make_staff(inst, last_name="Иванова", first_name="Мария", middle_name="Павловна")
    absent = make_staff(inst, last_name="Сидорова", first_name="Ольга", middle_name="Викторовна")
    login(make_user((Role.CURATOR, inst)))
    r = client.post(f"/i/{inst.slug}/association", data={"kind": "shmo"})
    assert r.status_code == 302
    association_id = int(r.headers["Location"].rstrip("/").split("/")[-1])
    base = f"/i/{inst.slug}/association/{association_id}"
    for staff, role in ((chair, "chair"), (secretary, "secretary"), (absent, "member")):
        assert client.post(f"{base}/members", data={"staff_id": staff.id, "role": role}).status_code == 302
    return city, inst, row, base, (chair, secretary, absent)


def _held_meeting(client, base, people, day="17.05.2023"):
    chair, secretary, absent = people
    r = client.post(f"{base}/meetings", data={"held_on": day, "starts_at": "15.00", "place": "Методический кабинет",
                                              "topic": "Итоги реализации программ",
                                              "agenda": "О ходе реализации программ наставничества\nО плане на лето"})
    assert r.status_code == 302
    meeting = r.headers["Location"]
    with_id = meeting.split("/meetings/")[1]
    with institution_scope(chair.institution_id):
        m = db.session.get(AssociationMeeting, int(with_id))
        first, second = [i.id for i in m.agenda]
    assert client.post(f"{meeting}/agenda/{first}", data={
        "title": "О ходе реализации программ наставничества", "speaker": "Петрову А.С., куратора",
        "heard": "программы трёх пар реализуются по плану", "spoke": "Иванова М.П. предложила открытые занятия",
        "decided": "Информацию принять к сведению", "mentoring": "1"}).status_code == 302
    assert client.post(f"{meeting}/decisions", data={
        "text": "Провести открытые занятия молодых педагогов", "agenda_item_id": second,
        "responsible_staff_id": secretary.id, "due_date": "30.06.2023"}).status_code == 302
    assert client.post(f"{meeting}/attendance", data={"present": [chair.id, secretary.id],
                                                      f"note-{absent.id}": "по болезни"}).status_code == 302
    return meeting, int(with_id)


def test_shmo_meeting_protocol_reads_back_from_its_docx_and_closes_its_roadmap_task(app, client, login):
    city, inst, row, base, people = _world(client, login)
    assert _tasks(inst, 14)["2023-Q2"].status is TaskStatus.OPEN
    meeting, meeting_id = _held_meeting(client, base, people)
    assert client.post(f"{meeting}/issue").status_code == 302
    docx = client.get(f"{meeting}/protocol.docx")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    for expected in ("ПРОТОКОЛ № 1", "заседания школьного методического объединения наставников",
                     "Председатель: Петрова А. С.", "Секретарь: Иванова М. П.", "Присутствовали: 2 чел.",
                     "1. Иванова Мария Павловна", "Отсутствовали: 1 чел. — Сидорова О. В. (по болезни)",
                     "ПОВЕСТКА ДНЯ:", "1. О ходе реализации программ наставничества",
                     "1. СЛУШАЛИ: Петрову А.С., куратора, программы трёх пар реализуются по плану",
                     "ВЫСТУПИЛИ: Иванова М.П. предложила открытые занятия", "РЕШИЛИ:",
                     "1.1. Информацию принять к сведению",
                     "2.1. Провести открытые занятия молодых педагогов (ответственный: Иванова М. П.; срок: до 30.06.2023)"):
        assert expected in text, expected
    cells = [c.text for t in Document(io.BytesIO(docx.data)).tables for r in t.rows for c in r.cells]
    assert "17.05.2023, 15:00" in cells and "А.С. Петрова" in cells and "М.П. Иванова" in cells
    q2 = _tasks(inst, 14)["2023-Q2"]
    assert q2.status is TaskStatus.ACCEPTED and "Протокол № 1" in q2.review_comment
    assert _tasks(inst, 14)["2023-Q1"].status is TaskStatus.OPEN
    assert _tasks(inst, 9)["2023-05-17"].status is TaskStatus.ACCEPTED   # the meeting's date joined item 9's plan


def test_protocol_is_refused_before_the_meeting_and_without_agenda_decisions_or_attendance(app, client, login):
    city, inst, row, base, people = _world(client, login)
    r = client.post(f"{base}/meetings", data={"held_on": "10.01.2099", "agenda": "Вопрос"})
    meeting = r.headers["Location"]
    page = client.post(f"{meeting}/issue")
    assert page.status_code == 422
    body = page.get_data(as_text=True)
    assert "ещё не прошло" in body and "нет решения по вопросам № 1" in body and "не отмечены присутствующие" in body
    r = client.post(f"{base}/meetings", data={"held_on": "01.02.2023"})
    assert "нет повестки дня" in client.post(r.headers["Location"] + "/issue").get_data(as_text=True)


def test_issued_protocol_does_not_change(app, client, login):
    city, inst, row, base, people = _world(client, login)
    meeting, meeting_id = _held_meeting(client, base, people)
    client.post(f"{meeting}/issue")
    assert client.post(f"{meeting}/agenda", data={"title": "Ещё вопрос"}).status_code == 422
    assert client.post(f"{meeting}/cancel").status_code == 422
    with institution_scope(inst.id):
        m = db.session.get(AssociationMeeting, meeting_id)
        assert m.state is MeetingState.ISSUED and len(m.agenda) == 2


def test_an_association_has_one_chair_and_one_secretary(app, client, login):
    city, inst, row, base, (chair, secretary, other) = _world(client, login)
    from portal.association.models import Association

    with institution_scope(inst.id):
        association = db.session.execute(db.select(Association)).scalar_one()
        other_member = next(m for m in association.members if m.staff_id == other.id)
    client.post(f"{base}/members/{other_member.id}/role", data={"role": "chair"})
    with institution_scope(inst.id):
        roles = {m.staff_id: m.role for m in db.session.execute(db.select(Association)).scalar_one().members}
    assert roles == {chair.id: "member", secretary.id: "secretary", other.id: "chair"}


def test_a_planned_meeting_joins_the_separate_plan_of_item_9_and_leaves_it_when_cancelled(app, client, login):
    city, inst, row, base, people = _world(client, login)
    assert list(_tasks(inst, 9)) == ["2023"]
    r = client.post(f"{base}/meetings", data={"held_on": "20.09.2023", "agenda": "О плане работы"})
    assert list(_tasks(inst, 9)) == ["2023-09-20"]
    with institution_scope(inst.id):
        assert [d.title for d in db.session.execute(db.select(InstitutionPlanDate)).scalars()] == [
            "Заседание № 1: ШМО наставников".replace("ШМО наставников", "Школьное методическое объединение наставников (ШМО)")]
    client.post(r.headers["Location"] + "/cancel")
    assert list(_tasks(inst, 9)) == ["2023"]


def test_plan_of_work_with_mentoring_questions_answers_item_22_for_both_years_it_covers(app, client, login):
    city, inst, row, base, people = _world(client, login)
    with _in_city(city):
        roadmap.generate_tasks(row, 2024)
    r = client.post(f"{base}/plan/approve", data={"academic_year": "2023-2024", "approved_on": "30.08.2023"})
    assert "нет ни одной строки" in r.get_data(as_text=True)
    client.post(f"{base}/plan/items", data={"academic_year": "2023-2024", "when": "сентябрь",
                                            "content": "Утверждение состава наставнических пар", "form": "заседание",
                                            "mentoring": "1"})
    lines = client.get(f"{base}/plan?academic_year=2023-2024").get_data(as_text=True)
    assert "Утверждение состава наставнических пар" in lines
    assert client.post(f"{base}/plan/approve", data={"academic_year": "2023-2024",
                                                     "approved_on": "30.08.2023"}).status_code == 302
    assert _tasks(inst, 22)["2023"].status is TaskStatus.ACCEPTED
    assert _tasks(inst, 22)["2024"].status is TaskStatus.ACCEPTED
    assert client.post(f"{base}/plan/items", data={"academic_year": "2023-2024", "when": "май",
                                                   "content": "Итоги"}).status_code == 422


def test_plan_without_a_question_of_the_mentoring_programs_is_not_approved(app, client, login):
    city, inst, row, base, people = _world(client, login)
    client.post(f"{base}/plan/items", data={"academic_year": "2023-2024", "when": "октябрь", "content": "Субботник"})
    r = client.post(f"{base}/plan/approve", data={"academic_year": "2023-2024", "approved_on": "30.08.2023"})
    assert r.status_code == 422 and "п. 22" in r.get_data(as_text=True)


def test_city_seminar_protocol_answers_the_department_and_each_institution_present(app, client, login):
    city = make_municipality()
    a, b = make_institution(city), make_institution(city)
    with _in_city(city):
        row = roadmap.from_template(city.id)
        roadmap.generate_tasks(row, 2023)
    curator_a, curator_b = make_staff(a, last_name="Кузнецова"), make_staff(b, last_name="Смирнова")
    login(make_user((Role.COORDINATOR, city)))
    r = client.post(f"/m/{city.slug}/association", data={"kind": "seminar"})
    base = r.headers["Location"]
    for staff, role in ((curator_a, "chair"), (curator_b, "member")):
        client.post(f"{base}/members", data={"staff_id": staff.id, "role": role})
    r = client.post(f"{base}/meetings", data={"held_on": "14.11.2023", "agenda": "Внедрение ЦМН в организациях"})
    meeting = r.headers["Location"]
    with _in_city(city):
        from portal.association.models import CityMeeting

        m = db.session.execute(db.select(CityMeeting)).scalar_one()
        item = m.agenda[0].id
    client.post(f"{meeting}/agenda/{item}", data={"title": "Внедрение ЦМН в организациях", "decided": "Принять к сведению"})
    client.post(f"{meeting}/attendance", data={"present": [curator_a.id]})
    assert client.post(f"{meeting}/issue").status_code == 302
    docx = client.get(f"{meeting}/protocol.docx").data
    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "заседания семинара-совещания кураторов" in text and a.short_name in text
    with _in_city(city):
        department = {t.period: t.status for t in db.session.execute(db.select(CityTask)).scalars()
                      if t.activity.number == 23}
    assert department["2023-Q4"] is CityTaskStatus.DONE and department["2023-Q3"] is CityTaskStatus.OPEN
    assert _tasks(a, 23)["2023-Q4"].status is TaskStatus.ACCEPTED and _tasks(a, 21)["2023"].status is TaskStatus.ACCEPTED
    assert _tasks(b, 23)["2023-Q4"].status is TaskStatus.OPEN     # its curator was absent


def test_the_chair_who_is_a_mentor_keeps_the_meetings_another_mentor_may_not(app, client, login):
    city, inst, row, base, (chair, secretary, other) = _world(client, login)
    chair_user, other_user = make_user((Role.MENTOR, inst)), make_user((Role.MENTOR, inst))
    with institution_scope(inst.id):
        from portal.staff.models import Staff

        db.session.get(Staff, chair.id).user_id = chair_user.id
        db.session.get(Staff, other.id).user_id = other_user.id
        db.session.commit()
    login(other_user)
    assert client.post(f"{base}/meetings", data={"held_on": "01.03.2023", "agenda": "Вопрос"}).status_code == 403
    login(chair_user)
    assert client.post(f"{base}/meetings", data={"held_on": "01.03.2023", "agenda": "Вопрос"}).status_code == 302
    assert client.post(f"{base}/members", data={"staff_id": other.id}).status_code == 403   # the curator forms it


def test_the_responsible_person_marks_the_decision_carried_out(app, client, login):
    city, inst, row, base, people = _world(client, login)
    chair, secretary, other = people
    meeting, meeting_id = _held_meeting(client, base, people)
    client.post(f"{meeting}/issue")
    with institution_scope(inst.id):
        m = db.session.get(AssociationMeeting, meeting_id)
        decision_id = m.decisions[0].id
    stranger, responsible = make_user((Role.MENTOR, inst)), make_user((Role.MENTOR, inst))
    with institution_scope(inst.id):
        from portal.staff.models import Staff

        db.session.get(Staff, secretary.id).user_id = responsible.id
        db.session.commit()
    login(stranger)
    client.post(f"{base}/decisions/{decision_id}/done", data={})
    with institution_scope(inst.id):
        assert db.session.get(type(m.decisions[0]), decision_id).done_on is None
    login(responsible)
    assert "Провести открытые занятия" in client.get(base).get_data(as_text=True)
    client.post(f"{base}/decisions/{decision_id}/done", data={"note": "проведены 20.06"})
    with institution_scope(inst.id):
        assert db.session.get(type(m.decisions[0]), decision_id).done_on == date.today()


def test_api_holds_a_meeting_and_issues_its_protocol_as_the_pages_do(app):
    from portal.accounts.services import create_api_token

    city = make_municipality()
    inst = make_institution(city)
    with _in_city(city):
        roadmap.generate_tasks(roadmap.from_template(city.id), 2023)
    chair, member = make_staff(inst), make_staff(inst)
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(make_user((Role.CURATOR, inst)), "t")
    base = f"/api/v1/i/{inst.slug}/associations"
    assert client.post(base, json={"kind": "nonsense"}).status_code == 422
    association = client.post(base, json={"kind": "council"}).get_json()
    assert association["name"] == "Совет наставников"
    one = f"{base}/{association['id']}"
    assert client.post(f"{one}/members", json={"staff_id": chair.id, "role": "chair"}).status_code == 201
    client.post(f"{one}/members", json={"staff_id": member.id})
    m = client.post(f"{one}/meetings", json={"date": "2023-10-11", "starts_at": "14:30", "link": "https://meet.example.ru/x",
                                             "agenda": ["О программах наставничества"]}).get_json()
    assert m["number"] == 1 and m["agenda"][0]["title"] == "О программах наставничества"
    mid = f"{one}/meetings/{m['id']}"
    assert client.post(f"{mid}/issue").status_code == 422
    client.patch(f"{mid}/agenda/{m['agenda'][0]['id']}", json={"decided": "Одобрить", "mentoring": True})
    client.put(f"{mid}/attendance", json={"present": [chair.id, member.id]})
    decision = client.post(f"{mid}/decisions", json={"text": "Подготовить отчёт", "responsible_staff_id": member.id,
                                                     "due_date": "2023-12-01"})
    assert decision.status_code == 201
    issued = client.post(f"{mid}/issue").get_json()
    assert issued["state"] == "issued" and issued["protocol_title"].startswith("Протокол № 1 заседания совета наставников")
    assert client.get(f"{mid}/protocol.docx").status_code == 200
    assert _tasks(inst, 14)["2023-Q4"].status is TaskStatus.ACCEPTED
    assert client.get(one).get_json()["open_decisions"][0]["text"] == "Подготовить отчёт"
