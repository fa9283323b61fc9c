"""Every one of the 32 activities produces trackable work in every year of its period: the institutions' tasks,
the separate plans' dates, the work on each completed program, the department's own tasks; the documents of the
portal answer their tasks by themselves."""
from __future__ import annotations

from datetime import date

import pytest

from portal.extensions import db
from portal.roadmap import deadlines, evidence, generation, plan_dates, services
from portal.roadmap.models import Activity, RoadmapTask, TaskStatus
from portal.roadmap.template_pokachi import SECTIONS
from portal.roadmap.work_models import CityTask, CityTaskStatus, TaskEvidence
from tenants.access import Role
from tenants.context import across_institutions, institution_scope
from tests.factories import make_group, make_institution, make_municipality, make_program, make_user

YEARS = (2022, 2023, 2024)
SEED = {number: (deadline, level) for _, acts in SECTIONS for number, _, deadline, _, level, _, _ in acts}
ONE_OFF = {n for n, (d, _) in SEED.items() if deadlines.parse(d).kind in (deadlines.ONCE_DATE, deadlines.ONCE_MONTH)}
PER_PROGRAM = {n for n, (d, _) in SEED.items() if deadlines.parse(d).kind == deadlines.AFTER_PROGRAM}


def _in_city(city):
    return across_institutions(municipality_ids={city.id}, reason="test: the coordinator's work")


def _roadmap(city):
    with _in_city(city):
        return services.from_template(city.id)


def _tasks(inst) -> dict[int, list[RoadmapTask]]:
    with institution_scope(inst.id):
        out: dict[int, list] = {}
        for t in db.session.execute(db.select(RoadmapTask)).scalars():
            out.setdefault(t.activity.number, []).append(t)
        return out


def _activity(row, number) -> Activity:
    return next(a for a in row.activities if a.number == number)


def test_each_recurring_deadline_wording_of_the_seed_yields_a_dated_task_in_each_year_2022_to_2024(app):
    city = make_municipality()
    inst = make_institution(city)
    row = _roadmap(city)
    with _in_city(city):
        generation.generate_period(row)
    tasks = _tasks(inst)
    for number, (deadline, level) in SEED.items():
        if level == "uo" or number in ONE_OFF | PER_PROGRAM:
            continue
        for year in YEARS:
            dated = [t for t in tasks.get(number, []) if t.due_date is not None and t.period.startswith(str(year))]
            assert dated, f"№ {number} «{deadline}»: no dated task in {year}"


def test_each_one_off_wording_yields_one_task_on_its_date(app):
    city = make_municipality()
    inst = make_institution(city)
    row = _roadmap(city)
    with _in_city(city):
        generation.generate_period(row)
        city_tasks = {t.activity.number: t for t in db.session.execute(db.select(CityTask)).scalars()
                      if t.period == "once"}
    tasks = _tasks(inst)
    assert [(t.period, t.due_date) for t in tasks[6]] == [("once", date(2022, 12, 1))]   # «01.12.2022», УО и ОО
    assert city_tasks[6].due_date == date(2022, 12, 1)
    assert city_tasks[1].due_date == city_tasks[2].due_date == date(2022, 10, 31)          # «октябрь 2022», УО only
    assert 1 not in tasks and 2 not in tasks


def test_department_activities_are_the_coordinators_own_tasks_in_every_year(app):
    city = make_municipality()
    make_institution(city)
    row = _roadmap(city)
    with _in_city(city):
        generation.generate_period(row)
        rows = [(t.activity.number, t.period, t.due_date) for t in db.session.execute(db.select(CityTask)).scalars()]
    department = {n for n, (_, level) in SEED.items() if level in ("uo", "both")}
    assert {n for n, _, _ in rows} == department
    for number in department - ONE_OFF:
        years = {period[:4] for n, period, due in rows if n == number and due is not None}
        assert years == {"2022", "2023", "2024"}, number
    seminars = sorted(p for n, p, _ in rows if n == 23)   # «ежеквартально»: the seminars of curators
    assert seminars[:4] == ["2022-Q1", "2022-Q2", "2022-Q3", "2022-Q4"]


def test_department_task_is_done_with_a_note_only(app, client, login):
    city = make_municipality()
    make_institution(city)
    row = _roadmap(city)
    login(make_user((Role.COORDINATOR, city)))
    client.post(f"/m/{city.slug}/roadmap/{row.id}/tasks", data={"year": "2022"})
    with _in_city(city):
        task = next(t for t in db.session.execute(db.select(CityTask)).scalars() if t.activity.number == 1)
    page = f"/m/{city.slug}/roadmap/city-tasks/{task.id}"
    assert "Разработка и утверждение Положения" in client.get(page).get_data(as_text=True)
    assert client.post(page + "/done", data={}).status_code == 422
    assert client.post(page + "/done", data={"note": "Приказ УО № 404-0 от 18.10.2022"}).status_code == 302
    with _in_city(city):
        assert db.session.get(CityTask, task.id).status is CityTaskStatus.DONE


def test_separate_plan_dates_of_the_coordinator_and_the_institution_become_dated_tasks(app):
    city = make_municipality()
    a, b = make_institution(city), make_institution(city)
    row = _roadmap(city)
    with _in_city(city):
        services.generate_tasks(row, 2023)
    assert [t.period for t in _tasks(a)[9]] == ["2023"]         # no plan yet: the year's task
    with _in_city(city):
        plan_dates.add_city_date(_activity(row, 9), {"on": "15.11.2023", "title": "Заседание ГМО"})
    assert [t.period for t in _tasks(a)[9]] == [t.period for t in _tasks(b)[9]] == ["2023-11-15"]
    with institution_scope(a.id):
        plan_dates.add_institution_date(db.session.get(Activity, _activity(row, 9).id), a.id,
                                        {"on": "20.09.2023", "title": "Заседание ШМО № 1"})
    assert sorted(t.period for t in _tasks(a)[9]) == ["2023-09-20", "2023-11-15"]
    assert [t.period for t in _tasks(b)[9]] == ["2023-11-15"]    # the institution's own date is its own
    with _in_city(city):
        assert {t.period for t in db.session.execute(db.select(CityTask)).scalars()
                if t.activity.number == 9 and t.period.startswith("2023")} == {"2023-11-15"}


def test_a_date_outside_the_period_or_of_an_activity_without_a_separate_plan_is_refused(app):
    from portal.errors import Invalid

    city = make_municipality()
    row = _roadmap(city)
    with _in_city(city):
        with pytest.raises(Invalid):
            plan_dates.add_city_date(_activity(row, 9), {"on": "15.11.2025", "title": "Заседание"})
        with pytest.raises(Invalid):
            plan_dates.add_city_date(_activity(row, 4), {"on": "15.11.2023", "title": "Заседание"})


def test_each_program_completed_in_2022_to_2024_yields_its_own_task_that_year(app):
    from portal.mentoring.states import CompletionReason, ProgramState

    city = make_municipality()
    inst = make_institution(city)
    row = _roadmap(city)
    ended = {year: make_program(make_group(inst, start=date(year - 1, 12, 1)), start=date(year - 1, 12, 1), months=4,
                                state=ProgramState.COMPLETED, completed_at=date(year, 4, 1),
                                completion_reason=CompletionReason.PLAN_DONE) for year in YEARS}
    with _in_city(city):
        generation.generate_period(row)
    tasks = _tasks(inst)[18]
    assert sorted((t.period, t.due_date) for t in tasks) == sorted(
        (deadlines.program_period(p.id), date(year, 4, 15)) for year, p in ended.items())


def test_program_ending_makes_its_task_at_once_and_the_survey_results_attach_themselves(app):
    from werkzeug.datastructures import MultiDict

    from portal.mentoring.states import CompletionReason, PlanItemStatus, ProgramState
    from portal.programs import services as programs
    from portal.surveys import services as surveys
    from portal.surveys.models import SurveyInvitation
    from tests.factories import make_plan_item

    city = make_municipality()
    inst = make_institution(city)
    today = date.today()
    with _in_city(city):
        services.copy_roadmap(_roadmap(city), today.year, today.year + 2, "Дорожная карта на новый период")
    program = make_program(make_group(inst, start=date(today.year - 1, 9, 1)), start=date(today.year - 1, 9, 1))
    make_plan_item(program, status=PlanItemStatus.DONE)
    with institution_scope(inst.id):
        p = db.session.get(type(program), program.id)
        programs.change_state(p, ProgramState.COMPLETED, None, CompletionReason.PLAN_DONE.value)
    [task] = _tasks(inst)[18]
    assert task.period == deadlines.program_period(program.id) and task.status is TaskStatus.OPEN
    with institution_scope(inst.id):
        invitations = list(db.session.execute(db.select(SurveyInvitation).where(
            SurveyInvitation.program_id == program.id)).scalars())
        assert len(invitations) == 2
        for number, inv in enumerate(invitations):
            form = MultiDict({q["id"]: ("7" if q["kind"] == "scale10" else "yes" if q["kind"] == "yesno" else
                                        (q.get("options") or ["Полезно"])[0]) for q in inv.campaign.template.questions})
            surveys.answer(inv, form)
            assert db.session.get(RoadmapTask, task.id).status is (TaskStatus.OPEN if number == 0 else TaskStatus.ACCEPTED)
        [link] = db.session.execute(db.select(TaskEvidence).where(TaskEvidence.task_id == task.id)).scalars().all()
    assert link.source == "survey_results" and "ответили 2 из 2" in link.title


def test_portal_document_answers_the_task_of_its_period_and_accepts_it(app):
    city = make_municipality()
    inst = make_institution(city)
    row = _roadmap(city)
    with institution_scope(inst.id):   # recorded before the year's tasks exist: matched when they are made
        evidence.record(inst.id, "association_protocol", 501, date(2023, 5, 17), "Протокол № 3 от 17.05.2023", "/p/3")
        db.session.commit()
    with _in_city(city):
        services.generate_tasks(row, 2023)
    tasks = _tasks(inst)
    by_period = {t.period: t for t in tasks[14]}
    assert by_period["2023-Q2"].status is TaskStatus.ACCEPTED     # quarterly: the quarter of the meeting
    assert by_period["2023-Q1"].status is TaskStatus.OPEN and by_period["2023-Q3"].status is TaskStatus.OPEN
    assert [t.status for t in tasks[9]] == [TaskStatus.ACCEPTED]   # «по отдельному плану», no date: the year's task
    assert "Протокол № 3" in by_period["2023-Q2"].review_comment
    with institution_scope(inst.id):
        evidence.record(inst.id, "association_protocol", 501, date(2023, 5, 17), "Протокол № 3 от 17.05.2023", "/p/3")
        db.session.commit()
        links = db.session.execute(db.select(db.func.count(TaskEvidence.id)).where(
            TaskEvidence.task_id.is_not(None))).scalar_one()
    assert links == 2   # recording the same document again links nothing twice


def test_continuous_activity_gathers_entries_all_year_without_changing_its_status(app, client, login):
    city = make_municipality()
    inst = make_institution(city)
    row = _roadmap(city)
    with _in_city(city):
        services.generate_tasks(row, 2023)
    task = _tasks(inst)[7][0]                                     # «2022-2024 постоянно»: информирование
    assert task.period == "2023" and task.due_date == date(2023, 12, 31)
    login(make_user((Role.CURATOR, inst)))
    for day, title in (("12.03.2023", "Новость на сайте"), ("01.09.2023", "Пост в сообществе")):
        r = client.post(f"/i/{inst.slug}/roadmap/tasks/{task.id}/entries",
                        data={"on": day, "title": title, "link": "https://example.ru/news"})
        assert r.status_code == 302
    page = client.get(f"/i/{inst.slug}/roadmap/tasks/{task.id}").get_data(as_text=True)
    assert "Новость на сайте" in page and "Пост в сообществе" in page
    with institution_scope(inst.id):
        assert db.session.get(RoadmapTask, task.id).status is TaskStatus.OPEN


def test_api_has_what_the_pages_have_for_the_roadmap_work(app):
    from portal.accounts.services import create_api_token

    def api(user):
        c = app.test_client()
        c.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(user, "test")
        return c

    city = make_municipality()
    inst = make_institution(city)
    row = _roadmap(city)
    coordinator, curator = api(make_user((Role.COORDINATOR, city))), api(make_user((Role.CURATOR, inst)))
    base = f"/api/v1/m/{city.slug}"
    assert coordinator.post(f"{base}/roadmaps/{row.id}/tasks", json={"year": 2023}).get_json()["created"] > 0
    assert coordinator.post(f"{base}/roadmaps/{row.id}/tasks", json={"year": "2023"}).status_code == 422
    items = coordinator.get(f"{base}/roadmaps/{row.id}/city-tasks?year=2023").get_json()["items"]
    seminar = next(t for t in items if t["activity_number"] == 23 and t["period"] == "2023-Q1")
    r = coordinator.post(f"{base}/city-tasks/{seminar['id']}/done", json={})
    assert r.status_code == 422 and "note" in r.get_json()["error"]["fields"]
    assert coordinator.post(f"{base}/city-tasks/{seminar['id']}/done",
                            json={"note": "Протокол семинара № 1"}).get_json()["status"] == "done"
    activity9 = _activity(row, 9)
    r = coordinator.post(f"{base}/roadmaps/{row.id}/activities/{activity9.id}/dates",
                         json={"date": "2023-11-15", "title": "Заседание ГМО"})
    assert r.status_code == 201 and r.get_json()["date"] == "2023-11-15"
    tasks = curator.get(f"/api/v1/i/{inst.slug}/roadmap-tasks").get_json()["items"]
    task9 = next(t for t in tasks if t["activity_number"] == 9)
    assert task9["period"] == "2023-11-15"
    r = curator.post(f"/api/v1/i/{inst.slug}/roadmap-tasks/{task9['id']}/plan-dates",
                     json={"date": "2023-10-04", "title": "Заседание ШМО"})
    assert r.status_code == 201
    dates = curator.get(f"/api/v1/i/{inst.slug}/roadmap-tasks/{task9['id']}/plan-dates").get_json()
    assert [d["date"] for d in dates["city"]] == ["2023-11-15"] and [d["date"] for d in dates["items"]] == ["2023-10-04"]
    r = curator.post(f"/api/v1/i/{inst.slug}/roadmap-tasks/{task9['id']}/entries", json={"date": "2023-11-15"})
    assert r.status_code == 422 and "title" in r.get_json()["error"]["fields"]
    r = curator.post(f"/api/v1/i/{inst.slug}/roadmap-tasks/{task9['id']}/entries",
                     json={"date": "2023-11-15", "title": "Выступление на ГМО", "link": "https://example.ru/gmo"})
    assert r.status_code == 201
    assert [e["title"] for e in curator.get(f"/api/v1/i/{inst.slug}/roadmap-tasks/{task9['id']}/evidence")
            .get_json()["items"]] == ["Выступление на ГМО"]
    assert curator.delete(f"/api/v1/i/{inst.slug}/roadmap-tasks/{task9['id']}/plan-dates/"
                          f"{dates['items'][0]['id']}").status_code == 204


def test_agreement_training_and_registry_answer_their_tasks_by_themselves(app):
    from portal.partners import services as partners
    from portal.registry import development, registry
    from portal.registry.models import RegistryExport
    from tests.factories import make_staff

    city = make_municipality()
    inst = make_institution(city)
    row = _roadmap(city)
    with _in_city(city):
        services.generate_tasks(row, 2023)
    mentor = make_group(inst).mentors[0]
    with institution_scope(inst.id):
        partner = partners.add_partner({"name": "Педагогический колледж", "kind": "college"})
        partners.add_agreement(partner, partners.clean_agreement(
            {"number": "7", "signed_on": "01.09.2023", "subject": "Практика студентов"}), None)
        development.add_training(mentor.staff_id, {"title": "Наставничество в образовании", "kind": "course",
                                                   "hours": "36", "start_date": "01.03.2023", "end_date": "20.03.2023",
                                                   "mentoring_related": "1"})
        development.add_training(make_staff(inst).id, {"title": "Вебинар ЦНППМ", "kind": "webinar", "hours": "2",
                                                       "start_date": "10.04.2023", "end_date": "10.04.2023",
                                                       "mentoring_related": "1"})
    tasks = _tasks(inst)
    for number in (4, 11, 19, 20):
        assert [t.status for t in tasks[number] if t.period == "2023"] == [TaskStatus.ACCEPTED], number
    assert [t.status for t in tasks[21]] == [TaskStatus.OPEN]
    today = date.today()
    with _in_city(city):
        current = services.copy_roadmap(row, today.year, today.year + 1, "Дорожная карта на новый период")
        services.generate_tasks(current, today.year)
        export = RegistryExport(municipality_id=city.id, reason="по запросу")
        db.session.add(export)
        db.session.commit()
        registry.build(export)
        department = {(t.activity.roadmap_id, t.period): t.status for t in db.session.execute(db.select(CityTask))
                      .scalars() if t.activity.number == 27}
    assert department == {(row.id, "2023"): CityTaskStatus.OPEN, (current.id, str(today.year)): CityTaskStatus.DONE}
    assert [t.status for t in _tasks(inst)[27] if t.period == str(today.year)] == [TaskStatus.ACCEPTED]
