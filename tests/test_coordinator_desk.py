"""The coordinator's desk /m/<city>/: what waits for review, what is overdue and where, the institutions at risk,
this quarter's deadlines and the contest in progress, each with a link to the place to act; counted with a fixed
number of statements whatever the size of the city."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from portal.annual.models import AnnualReport, ReportState
from portal.extensions import db
from portal.periods import current_quarter, period_label, quarter_bounds
from portal.roadmap.models import Activity, Level, Roadmap, RoadmapSection, RoadmapTask, TaskStatus
from tenants.access import Role
from tenants.context import platform_scope
from tests.factories import make_group, make_institution, make_municipality, make_staff, make_user
from tests.query_budget import statements

TODAY = date.today()
QUARTER_START, QUARTER_END = quarter_bounds(current_quarter(TODAY))


def _roadmap(city) -> Activity:
    with platform_scope("test"):
        row = Roadmap(municipality_id=city.id, title="Дорожная карта", first_year=TODAY.year - 1, last_year=TODAY.year + 1)
        section = RoadmapSection(municipality_id=city.id, roadmap=row, position=1, title="Раздел")
        activity = Activity(municipality_id=city.id, roadmap=row, section=section, number=7,
                            title="Мониторинг адаптации молодых педагогов", deadline_text="ежеквартально",
                            level=Level.OO)
        db.session.add_all([row, section, activity])
        db.session.commit()
        return activity


def _task(inst, activity, status, due, period=None):
    with platform_scope("test"):
        t = RoadmapTask(institution_id=inst.id, activity_id=activity.id, period=period or current_quarter(TODAY),
                        due_date=due, working_due_date=due, status=status,
                        submitted_at=datetime.utcnow() if status is TaskStatus.SUBMITTED else None)
        db.session.add(t)
        db.session.commit()
        return t


def _report(inst, state, due):
    with platform_scope("test"):
        r = AnnualReport(institution_id=inst.id, academic_year="2025-2026", state=state, as_of=due, due_date=due,
                         generated_at=datetime.utcnow(),
                         submitted_at=datetime.utcnow() if state is ReportState.SUBMITTED else None)
        db.session.add(r)
        db.session.commit()
        return r


def _city(n_institutions=2):
    city = make_municipality()
    insts = [make_institution(city, short_name=f"МАДОУ «Ромашка-{i}»") for i in range(n_institutions)]
    activity = _roadmap(city)
    return city, insts, activity


def _fill(insts, activity):
    """The first institution works (a pair, a submitted task); the others have an overdue task and a young
    specialist with no mentor."""
    first, *rest = insts
    make_group(first)
    submitted = _task(first, activity, TaskStatus.SUBMITTED, QUARTER_END)
    for inst in rest:
        make_staff(inst, pedagogical_start=TODAY - timedelta(days=200), birth_date=date(2000, 1, 1))
        _task(inst, activity, TaskStatus.OPEN, QUARTER_START - timedelta(days=1), period=f"{TODAY.year - 1}-Q4")
    return submitted


def test_the_desk_shows_what_waits_for_review_with_a_link_to_review_it(app, client, login):
    city, insts, activity = _city()
    task = _fill(insts, activity)
    report = _report(insts[1], ReportState.SUBMITTED, TODAY + timedelta(days=30))
    login(make_user((Role.COORDINATOR, city)))
    page = client.get(f"/m/{city.slug}/").get_data(as_text=True)
    assert f'/m/{city.slug}/roadmap/tasks/{task.id}"' in page
    assert f'/m/{city.slug}/annual-reports/{report.id}"' in page
    assert "отчёт за 2025/2026 учебный год" in page
    assert 'id="count-tasks-to-review"><a href="#h-review">1</a>' in page


def test_the_desk_shows_overdue_tasks_by_institution_and_the_institutions_at_risk(app, client, login):
    city, insts, activity = _city()
    _fill(insts, activity)
    login(make_user((Role.COORDINATOR, city)))
    page = client.get(f"/m/{city.slug}/").get_data(as_text=True)
    overdue = page.split('id="desk-overdue"')[1].split("</ul>")[0]
    assert f"/i/{insts[1].slug}/roadmap" in overdue and "1 задача дорожной карты" in overdue
    assert insts[0].short_name not in overdue
    risk = page.split('id="desk-risk"')[1].split("</section>")[0]
    assert insts[1].short_name in risk and "нет действующих пар и групп" in risk
    assert "молодых специалистов без наставника: 1" in risk
    assert insts[0].short_name not in risk


def test_the_desk_lists_this_quarters_deadlines_in_words(app, client, login):
    city, insts, activity = _city()
    _fill(insts, activity)
    login(make_user((Role.COORDINATOR, city)))
    page = client.get(f"/m/{city.slug}/").get_data(as_text=True)
    assert f"Сроки: {period_label(current_quarter(TODAY))}" in page
    deadlines = page.split('id="desk-deadlines"')[1].split("</ul>")[0]
    assert "7. Мониторинг адаптации" in deadlines and "принято 0 из 1, на проверке 1" in deadlines
    assert f"/m/{city.slug}/roadmap/{activity.roadmap_id}/matrix" in deadlines


def test_the_desk_shows_the_contest_in_progress(app, client, login):
    from portal.contests import services
    from tenants.context import across_institutions

    city, insts, activity = _city()
    with across_institutions(municipality_ids={city.id}, reason="test"):
        row = services.create_contest(city.id, {
            "title": f"Лучшие практики наставничества — {TODAY.year}", "entries_from": TODAY.strftime("%d.%m.%Y"),
            "entries_until": (TODAY + timedelta(days=10)).strftime("%d.%m.%Y"),
            "judging_until": (TODAY + timedelta(days=20)).strftime("%d.%m.%Y"),
            "results_on": (TODAY + timedelta(days=30)).strftime("%d.%m.%Y"), "nominations": "Педагог — педагогу | 1",
            "criteria": "Результативность | 10"})
        for role in ("chair", "secretary"):
            services.add_juror(row, make_user((Role.EXPERT, city)).id, role, None)
        services.open_entries(row)
        contest_id = row.id
    login(make_user((Role.COORDINATOR, city)))
    contests = client.get(f"/m/{city.slug}/").get_data(as_text=True).split('id="desk-contests"')[1].split("</ul>")[0]
    assert f"/m/{city.slug}/contests/{contest_id}" in contests and "приём заявок" in contests
    assert "заявок 0" in contests


def test_the_desk_sends_the_same_number_of_statements_for_a_small_and_a_large_city(app, client, login):
    counts = []
    for size in (2, 6):
        city, insts, activity = _city(size)
        _fill(insts, activity)
        _report(insts[-1], ReportState.SUBMITTED, TODAY + timedelta(days=30))
        login(make_user((Role.COORDINATOR, city)))
        client.get(f"/m/{city.slug}/")  # the day's first entry into the city area is audited once
        with statements() as sent:
            assert client.get(f"/m/{city.slug}/").status_code == 200
        counts.append(sent.count)
    assert counts[0] == counts[1], counts
    assert counts[1] <= 18, counts
    print("desk statements", counts)
