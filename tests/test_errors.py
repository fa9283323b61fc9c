"""One error mapping: pages, HTMX fragments and the JSON API answer the same domain errors in their own form."""
import pytest

from tenants.access import Role
from tests.factories import make_institution, make_user


def test_api_errors_have_one_json_shape(app, client):
    r = client.get("/api/v1/me")
    assert r.status_code == 401
    body = r.get_json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])


def test_api_token_from_profile_opens_the_api(app, client, login):
    user = make_user((Role.CURATOR, make_institution()))
    login(user)
    r = client.post("/profile/tokens", data={"name": "Интеграция"})
    token = r.get_data(as_text=True).split('id="new-token">')[1].split("<")[0]
    api = app.test_client()
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.get_json()["email"] == user.email


def test_api_ignores_the_session_cookie(app, client, login):
    login(make_user())
    assert client.get("/api/v1/me").status_code == 401


def test_token_without_name_is_refused_inline(app, client, login):
    login(make_user())
    r = client.post("/profile/tokens", data={"name": " "}, headers={"HX-Request": "true"})
    assert r.status_code == 422 and "Назовите токен" in r.get_data(as_text=True)


def test_openapi_document_is_served(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.") and "/api/v1/institutions" in doc["paths"]


def test_unknown_page_is_russian_404_without_stack_trace(app, client):
    r = client.get("/console")
    assert r.status_code == 404 and "Страница не найдена" in r.get_data(as_text=True)
    assert "Traceback" not in r.get_data(as_text=True)


@pytest.mark.fresh_app
def test_unexpected_error_shows_incident_number_only(app, client):
    from tenants.access import PUBLIC, allow

    @allow(PUBLIC)
    def boom():
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom", "boom", boom)
    r = client.get("/boom")
    text = r.get_data(as_text=True)
    assert r.status_code == 500 and "Номер обращения" in text and "secret internals" not in text
