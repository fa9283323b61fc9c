"""The roadmap in the API: activities with due dates for a year, tasks, snapshots; scoped like the pages."""
from __future__ import annotations

from datetime import date

from portal.accounts.services import create_api_token
from portal.roadmap import services
from tasks.aggregation import run_inline
from tenants.access import Role
from tenants.context import across_institutions, institution_scope
from tests.factories import make_group, make_institution, make_municipality, make_user


def _api(app, user):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(user, "test")
    return client


def test_coordinator_reads_roadmap_with_due_dates_tasks_and_snapshots(app):
    city = make_municipality()
    a = make_institution(city)
    make_group(a, start=date(2022, 9, 1))
    with institution_scope(a.id):
        row = services.from_template(city.id)
        services.generate_tasks(row, 2023)
    run_inline("2023-Q1", city.id)
    client = _api(app, make_user((Role.COORDINATOR, city)))
    body = client.get(f"/api/v1/m/{city.slug}/roadmaps/{row.id}?year=2023").get_json()
    activity4 = next(a for s in body["sections"] for a in s["activities"] if a["number"] == 4)
    assert activity4["due_dates"] == [{"period": "2023", "nominal": "2023-10-01", "working": "2023-10-02"}]
    tasks = client.get(f"/api/v1/m/{city.slug}/roadmaps/{row.id}/tasks?status=open").get_json()["items"]
    assert tasks and all(t["institution_id"] == a.id and t["status"] == "open" for t in tasks)
    assert client.get(f"/api/v1/m/{city.slug}/roadmaps/{row.id}/tasks?status=lost").status_code == 422
    snaps = client.get(f"/api/v1/m/{city.slug}/snapshots?period=2023-Q1").get_json()["items"]
    assert [s["figures"]["groups"] for s in snaps] == [1]


def test_another_citys_coordinator_and_another_institution_see_nothing(app):
    city, other = make_municipality(), make_municipality()
    a, b = make_institution(city), make_institution(city)
    with across_institutions(municipality_ids={city.id}, reason="test setup"):
        row = services.from_template(city.id)
        services.generate_tasks(row, 2023)
    stranger = _api(app, make_user((Role.COORDINATOR, other)))
    assert stranger.get(f"/api/v1/m/{city.slug}/roadmaps").status_code == 404
    assert stranger.get(f"/api/v1/m/{other.slug}/roadmaps/{row.id}").status_code == 404
    curator_b = _api(app, make_user((Role.CURATOR, b)))
    mine = curator_b.get(f"/api/v1/i/{b.slug}/roadmap-tasks").get_json()["items"]
    assert mine and {t["institution_id"] for t in mine} == {b.id}
    assert curator_b.get(f"/api/v1/i/{a.slug}/roadmap-tasks").status_code == 404
