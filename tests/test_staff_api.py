"""Staff API: bearer tokens, same scoping, 422 with field and reason, one error shape."""
from __future__ import annotations

import pytest

from tenants.access import Role
from tests.factories import make_institution, make_staff, make_user


@pytest.fixture()
def api(app):
    def make(user):
        runner = app.test_cli_runner()
        result = runner.invoke(args=["tokens", "create", user.email])
        assert result.exit_code == 0, result.output
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + result.output.strip().splitlines()[-1]
        return client
    return make


def test_cli_token_lists_the_institutions_staff(app, api):
    inst = make_institution()
    make_staff(inst, last_name="Апишина")
    client = api(make_user((Role.CURATOR, inst)))
    body = client.get(f"/api/v1/i/{inst.slug}/staff").get_json()
    assert [s["last_name"] for s in body["items"]] == ["Апишина"] and body["total"] == 1


def test_token_of_a_gets_404_for_b_staff(app, api):
    a, b = make_institution(), make_institution()
    theirs = make_staff(b)
    client = api(make_user((Role.CURATOR, a)))
    assert client.get(f"/api/v1/i/{a.slug}/staff/{theirs.id}").status_code == 404
    assert client.get(f"/api/v1/i/{b.slug}/staff").status_code == 404


def test_create_with_bad_input_is_422_with_fields(app, api):
    inst = make_institution()
    client = api(make_user((Role.CURATOR, inst)))
    r = client.post(f"/api/v1/i/{inst.slug}/staff", json={"last_name": "Апишина", "position": "пилот"})
    body = r.get_json()
    assert r.status_code == 422 and body["error"]["code"] == "invalid"
    assert {"first_name", "position", "pedagogical_start"} <= set(body["error"]["fields"])


def test_create_and_update_through_the_api(app, api):
    inst = make_institution()
    client = api(make_user((Role.HEAD, inst)))
    r = client.post(f"/api/v1/i/{inst.slug}/staff", json={
        "last_name": "Апишина", "first_name": "Зоя", "position": "uchitel", "category": "none",
        "pedagogical_start": "2020-09-01", "institution_start": "2021-09-01"})
    assert r.status_code == 201, r.get_json()
    staff_id = r.get_json()["id"]
    r = client.patch(f"/api/v1/i/{inst.slug}/staff/{staff_id}", json={"category": "first", "category_date": "2024-02-01"})
    assert r.status_code == 200 and r.get_json()["category"] == "first"


def test_non_json_body_is_422(app, api):
    inst = make_institution()
    client = api(make_user((Role.CURATOR, inst)))
    r = client.post(f"/api/v1/i/{inst.slug}/staff", data="не json", content_type="text/plain")
    assert r.status_code == 422 and r.get_json()["error"]["fields"]["body"]


def test_coordinator_token_reads_but_cannot_write(app, api):
    inst = make_institution()
    client = api(make_user((Role.COORDINATOR, inst.municipality)))
    assert client.get(f"/api/v1/i/{inst.slug}/staff").status_code == 200
    assert client.post(f"/api/v1/i/{inst.slug}/staff", json={}).status_code == 403


def test_openapi_documents_the_staff_endpoints(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/i/{inst_slug}/staff"])
    assert {"get", "patch"} <= set(paths["/api/v1/i/{inst_slug}/staff/{staff_id}"])
