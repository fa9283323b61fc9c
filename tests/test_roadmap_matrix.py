"""The status matrix summarised in the database: a cell per institution × activity (× quarter), its worst state
with a colour and a symbol, the activity's title on its header, a cell's tasks loaded on demand."""
from __future__ import annotations

from datetime import date

from portal.extensions import db
from portal.roadmap import services
from portal.roadmap.models import Activity, Roadmap, RoadmapTask, TaskStatus
from tenants.access import Role
from tenants.context import across_institutions, platform_scope
from tests.factories import make_institution, make_municipality, make_user


def _city(client, login, year=2023):
    city = make_municipality()
    a, b = make_institution(city, short_name="МАДОУ «Аистёнок»"), make_institution(city, short_name="МАДОУ «Берёзка»")
    with across_institutions(municipality_ids={city.id}, reason="test"):
        row = services.from_template(city.id)
        services.generate_tasks(row, year)
        db.session.commit()
        roadmap_id = row.id
    login(make_user((Role.COORDINATOR, city)))
    return city, a, b, roadmap_id


def _tasks(inst, number):
    with platform_scope("test"):
        return {t.period: t for t in db.session.execute(db.select(RoadmapTask).join(Activity).where(
            RoadmapTask.institution_id == inst.id, Activity.number == number)).scalars()}


def _set(task, status):
    with platform_scope("test"):
        db.session.get(RoadmapTask, task.id).status = status
        db.session.commit()


def test_matrix_cell_holds_the_worst_state_of_its_tasks_computed_in_the_database(app, client, login):
    city, a, b, roadmap_id = _city(client, login)
    with platform_scope("test"):
        row = db.session.get(Roadmap, roadmap_id)
        data = services.matrix(row, 2023, today=date(2023, 2, 1))
    q13 = _tasks(a, 13)
    assert {"2023-Q1", "2023-Q4"} <= set(q13)
    _set(q13["2023-Q1"], TaskStatus.ACCEPTED)
    _set(q13["2023-Q2"], TaskStatus.SUBMITTED)
    with platform_scope("test"):
        data = services.matrix(db.session.get(Roadmap, roadmap_id), 2023, today=date(2023, 8, 1))
    activity = next(c.activity for c in data["columns"] if c.activity.number == 13)
    cell = lambda q: data["cells"][(a.id, activity.id, q)]  # noqa: E731
    assert (cell(1).state, cell(2).state, cell(3).state) == ("accepted", "submitted", "open")
    assert (cell(1).symbol, cell(2).symbol) == ("✓", "◔") and cell(1).count == 1
    assert data["worst"][(a.id, activity.id)] == "open"        # Q3 and Q4 not due yet on 1 August
    assert [c.quarter for c in data["columns"] if c.activity.number == 13] == [1, 2, 3, 4]


def test_matrix_shows_quarters_as_cells_with_a_symbol_and_the_activity_title_on_the_header(app, client, login):
    city, a, b, roadmap_id = _city(client, login)
    _set(_tasks(a, 13)["2023-Q1"], TaskStatus.ACCEPTED)
    page = client.get(f"/m/{city.slug}/roadmap/{roadmap_id}/matrix?year=2023").get_data(as_text=True)
    assert "№ 13 · I кв." in page and "№ 13 · IV кв." in page
    with platform_scope("test"):
        title = db.session.execute(db.select(Activity.title).where(Activity.roadmap_id == roadmap_id,
                                                                   Activity.number == 13)).scalar_one()
    assert f'title="13. {title}"' in page
    assert 'title="Принято">✓</a>' in page and 'title="Просрочено">!</a>' in page   # 2023 is past: overdue
    assert 'class="matrix-wrap"' in page     # the header row and the first column stay in view (app.css)


def test_a_cell_of_several_tasks_loads_its_tasks_on_demand(app, client, login):
    city, a, b, roadmap_id = _city(client, login)
    with platform_scope("test"):
        activity = db.session.execute(db.select(Activity).where(Activity.roadmap_id == roadmap_id,
                                                                Activity.number == 9)).scalar_one()
        for day in (date(2023, 3, 1), date(2023, 10, 1)):
            db.session.add(RoadmapTask(institution_id=b.id, activity_id=activity.id, period=day.isoformat(),
                                       due_date=day, working_due_date=day))
        db.session.commit()
        activity_id = activity.id
    page = client.get(f"/m/{city.slug}/roadmap/{roadmap_id}/matrix?year=2023").get_data(as_text=True)
    url = f"/m/{city.slug}/roadmap/{roadmap_id}/matrix/{activity_id}/{b.id}?year=2023&amp;quarter=0"
    assert f'hx-get="{url}"' in page
    part = client.get(url.replace("&amp;", "&"), headers={"HX-Request": "true"})
    text = part.get_data(as_text=True)
    assert part.status_code == 200 and "<html" not in text
    assert "2023-03-01" in text and "2023-10-01" in text and "Просрочено" in text and b.short_name in text
    full = client.get(url.replace("&amp;", "&")).get_data(as_text=True)
    assert "<html" in full and "2023-10-01" in full      # without HTMX: a page of its own


def test_matrix_cell_of_another_citys_institution_is_not_found(app, client, login):
    city, a, b, roadmap_id = _city(client, login)
    elsewhere = make_institution(make_municipality())
    with platform_scope("test"):
        activity_id = db.session.execute(db.select(Activity.id).where(Activity.roadmap_id == roadmap_id,
                                                                      Activity.number == 9)).scalar_one()
    assert client.get(f"/m/{city.slug}/roadmap/{roadmap_id}/matrix/{activity_id}/{elsewhere.id}?year=2023"
                      ).status_code == 404
    assert client.get(f"/m/{city.slug}/roadmap/{roadmap_id}/matrix/{activity_id}/{a.id}?year=2023&quarter=9"
                      ).status_code == 422
