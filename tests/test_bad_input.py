"""Every bad input of issue 11 answers without a 5xx and changes nothing: NUL bytes and lone surrogates, ids and
page numbers no column can hold, over-long fields, ill-typed JSON, redirects that would leave the site, and a
database error inside a request (the teardown rolls the aborted transaction back)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from portal.accounts.models import LoginFailure
from portal.extensions import db
from portal.mail import OutboxMessage
from portal.staff.models import Staff
from tenants.access import EDIT_MENTORING, PUBLIC, Role, allow
from tenants.context import platform_scope
from tests.factories import (PASSWORD, make_group, make_institution, make_plan_item, make_program, make_staff,
                             make_user)


def _count(model) -> int:
    with platform_scope("test count"):
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _no_5xx(r):
    assert r.status_code < 500, (r.status_code, r.get_data(as_text=True)[:300])
    return r


@pytest.fixture()
def api(app):
    def make(user):
        result = app.test_cli_runner().invoke(args=["tokens", "create", user.email])
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + result.output.strip().splitlines()[-1]
        return client
    return make


# --- paths and query strings ---------------------------------------------------------------------------------

def test_id_beyond_an_integer_column_in_a_path_is_404(app, client, login):
    inst = make_institution()
    login(make_user((Role.CURATOR, inst)))
    r = _no_5xx(client.get(f"/i/{inst.slug}/staff/2147483648"))
    assert r.status_code == 404 and "Страница не найдена" in r.get_data(as_text=True)
    # The server still answers normally afterwards (the teardown left a usable connection).
    assert client.get(f"/i/{inst.slug}/staff/").status_code == 200


def test_page_number_no_list_can_reach_is_422(app, client, login):
    inst = make_institution()
    login(make_user((Role.CURATOR, inst)))
    r = _no_5xx(client.get(f"/i/{inst.slug}/staff/?page=99999999999999999999"))
    assert r.status_code == 422 and "Номер страницы" in r.get_data(as_text=True)


def test_api_page_number_beyond_range_is_422_json(app, api):
    inst = make_institution()
    client = api(make_user((Role.CURATOR, inst)))
    r = _no_5xx(client.get(f"/api/v1/i/{inst.slug}/staff?page=99999999999999999999"))
    assert r.status_code == 422 and "page" in r.get_json()["error"]["fields"]
    r = _no_5xx(client.get(f"/api/v1/i/{inst.slug}/staff?per_page=много"))
    assert r.status_code == 422 and "per_page" in r.get_json()["error"]["fields"]


def test_nul_byte_in_a_public_path_is_400_in_russian(app, client):
    r = _no_5xx(client.get("/public/%00/"))
    assert r.status_code == 400 and "недопустимые символы" in r.get_data(as_text=True)


def test_nul_byte_in_a_public_query_is_422(app, client):
    inst = make_institution()
    r = _no_5xx(client.get(f"/public/{inst.municipality.slug}/practices?form=%00"))
    assert r.status_code == 422 and "недопустимые символы" in r.get_data(as_text=True)


# --- login, password reset, redirects ------------------------------------------------------------------------

def test_nul_byte_in_the_login_email_is_422_and_records_nothing(app, client):
    r = _no_5xx(client.post("/login", data={"email": "a\x00@x.ru", "password": "whatever-password"}))
    assert r.status_code == 422 and "недопустимые символы" in r.get_data(as_text=True)
    assert _count(LoginFailure) == 0


def test_nul_byte_in_forgot_password_is_422_and_sends_nothing(app, client):
    r = _no_5xx(client.post("/password/forgot", data={"email": "a\x00@x.ru"}))
    assert r.status_code == 422
    assert _count(OutboxMessage) == 0


def test_hundred_kilobyte_email_on_login_is_refused_without_500(app, client):
    r = _no_5xx(client.post("/login", data={"email": "a" * 100_000 + "@x.ru", "password": "whatever-password"}))
    assert r.status_code in (401, 422)
    assert client.get("/login").status_code == 200


def test_next_with_a_tab_cannot_leave_the_site(app, client):
    user = make_user()
    r = client.post("/login?next=/%09/evil.example/phish", data={"email": user.email, "password": PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/\\evil.example", "//evil.example", "/%0d%0aSet-Cookie:x=1", "https://evil.example",
                                    "/\t/evil.example", "/\r\n/evil.example", "javascript:alert(1)", "/%5Cevil.example"])
def test_next_that_a_browser_would_read_as_another_origin_is_refused(app, client, target):
    from urllib.parse import quote

    user = make_user()
    r = _no_5xx(client.post("/login?next=" + quote(target, safe="/%"), data={"email": user.email, "password": PASSWORD}))
    location = r.headers["Location"]
    assert r.status_code == 302 and location.startswith("/") and not location.startswith(("//", "/\\"))
    assert "evil" not in location or location.startswith("/%5C")


def test_next_with_a_local_path_is_kept(app, client):
    inst = make_institution()
    user = make_user((Role.CURATOR, inst))
    r = client.post(f"/login?next=/i/{inst.slug}/staff/", data={"email": user.email, "password": PASSWORD})
    assert r.headers["Location"] == f"/i/{inst.slug}/staff/"


# --- ill-typed JSON in the API -------------------------------------------------------------------------------

def test_api_staff_position_as_a_huge_float_is_422(app, api):
    inst = make_institution()
    client = api(make_user((Role.CURATOR, inst)))
    r = _no_5xx(client.post(f"/api/v1/i/{inst.slug}/staff", json={
        "last_name": "Числова", "first_name": "Анна", "position": 2.19e16,
        "pedagogical_start": "2020-09-01", "institution_start": "2020-09-01"}))
    assert r.status_code == 422 and "position" in r.get_json()["error"]["fields"]
    assert _count(Staff) == 0


def test_api_staff_category_as_a_list_on_patch_is_422(app, api):
    inst = make_institution()
    staff = make_staff(inst, last_name="Списочная")
    client = api(make_user((Role.CURATOR, inst)))
    r = _no_5xx(client.patch(f"/api/v1/i/{inst.slug}/staff/{staff.id}", json={"category": ["first", "highest"]}))
    assert r.status_code == 422 and "category" in r.get_json()["error"]["fields"]
    with platform_scope("check"):
        assert db.session.get(Staff, staff.id).category.value == "first"


def test_api_unknown_staff_field_is_422(app, api):
    inst = make_institution()
    client = api(make_user((Role.CURATOR, inst)))
    r = _no_5xx(client.post(f"/api/v1/i/{inst.slug}/staff", json={"institution_id": 999}))
    assert r.status_code == 422 and "institution_id" in r.get_json()["error"]["fields"]


def test_api_staff_name_longer_than_the_column_is_422(app, api):
    inst = make_institution()
    client = api(make_user((Role.CURATOR, inst)))
    r = _no_5xx(client.post(f"/api/v1/i/{inst.slug}/staff", json={"last_name": "Я" * 5000}))
    assert r.status_code == 422 and "last_name" in r.get_json()["error"]["fields"]


@pytest.mark.parametrize("body", [{"content": "Занятие", "due_date": 20241010},
                                  {"content": ["Занятие"], "due_date": "2024-10-10"},
                                  {"content": {"text": "Занятие"}, "due_date": "2024-10-10"},
                                  {"content": "Занятие \ud800", "due_date": "2024-10-10"},
                                  {"content": "Занятие \x00", "due_date": "2024-10-10"}],
                         ids=["due-date-number", "content-list", "content-object", "lone-surrogate", "nul"])
def test_api_plan_item_of_the_wrong_type_is_422_and_adds_nothing(app, api, body):
    from portal.programs.models import PlanItem

    inst = make_institution()
    program = make_program(make_group(inst))
    client = api(make_user((Role.CURATOR, inst)))
    import json

    r = _no_5xx(client.post(f"/api/v1/i/{inst.slug}/programs/{program.id}/items",
                            data=json.dumps(body), content_type="application/json"))
    assert r.status_code == 422 and r.is_json
    assert _count(PlanItem) == 0


def test_api_done_note_of_the_wrong_type_is_422(app, api):
    inst = make_institution()
    program = make_program(make_group(inst))
    item = make_plan_item(program)
    client = api(make_user((Role.CURATOR, inst)))
    r = _no_5xx(client.post(f"/api/v1/i/{inst.slug}/programs/{program.id}/items/{item.id}/done", json={"note": [1]}))
    assert r.status_code == 422 and "note" in r.get_json()["error"]["fields"]


# --- database errors ---------------------------------------------------------------------------------------

@pytest.mark.fresh_app
def test_database_error_inside_an_api_request_is_one_json_error(app):
    @allow(PUBLIC)
    def broken():
        db.session.execute(text("SELECT * FROM no_such_table_at_all"))
        return "never"

    app.add_url_rule("/api/v1/broken-for-test", "broken_for_test", broken)
    client = app.test_client()
    r = client.get("/api/v1/broken-for-test")
    body = r.get_json()
    assert r.status_code == 500 and body["error"]["code"] == "internal" and "Номер обращения" in body["error"]["message"]
    assert "no_such_table" not in r.get_data(as_text=True)
    assert client.get("/api/v1/openapi.json").status_code == 200


@pytest.mark.fresh_app
def test_aborted_transaction_is_rolled_back_before_the_scope_is_reset(app, client, login):
    """A view that swallows a database error leaves the transaction aborted (PostgreSQL); the teardown must roll
    it back before it resets the tenant scope, and the next request must work."""
    inst = make_institution()
    from tenants.routing import institution_blueprint

    bp = institution_blueprint("aborted_for_test", __name__, "/aborted-for-test")

    @bp.route("")
    @allow(EDIT_MENTORING)
    def aborted():
        try:
            db.session.execute(text("SELECT * FROM no_such_table_at_all"))
        except Exception:
            pass
        return "swallowed"

    app.register_blueprint(bp)
    login(make_user((Role.CURATOR, inst)))
    assert client.get(f"/i/{inst.slug}/aborted-for-test").status_code == 200
    assert client.get(f"/i/{inst.slug}/staff/").status_code == 200


@pytest.mark.fresh_app
def test_value_too_long_for_a_column_is_422_not_500(app):
    """A value that slips past validation and that the database refuses is bad input (422), mapped once."""
    from portal.errors import init_app  # noqa: F401  (the handler under test)

    @allow(PUBLIC)
    def overflow():
        db.session.execute(text("SELECT CAST(:v AS integer)"), {"v": "99999999999"}) if db.engine.dialect.name == "postgresql" \
            else (_ for _ in ()).throw(_data_error())
        return "never"

    app.add_url_rule("/api/v1/overflow-for-test", "overflow_for_test", overflow)
    r = app.test_client().get("/api/v1/overflow-for-test")
    assert r.status_code == 422 and r.get_json()["error"]["code"] == "invalid"


def _data_error():
    from sqlalchemy.exc import DataError

    return DataError("SELECT 1", {}, ValueError("out of range"))


# --- the client address behind proxies -------------------------------------------------------------------------

def _seen_address(app):
    @allow(PUBLIC)
    def whoami():
        from flask import request

        return request.remote_addr or ""

    app.add_url_rule("/whoami-for-test", "whoami_for_test", whoami)
    return app.test_client().get("/whoami-for-test", headers={"X-Forwarded-For": "203.0.113.7, 198.51.100.2"},
                                 environ_base={"REMOTE_ADDR": "127.0.0.1"}).get_data(as_text=True)


@pytest.mark.fresh_app
def test_forwarded_for_is_ignored_without_configured_proxy_hops(app):
    assert _seen_address(app) == "127.0.0.1"


def test_forwarded_for_is_read_as_many_hops_back_as_configured(_schema, _session_app):
    from portal import create_app
    from tests.conftest import TEST_OVERRIDES

    app = create_app({**TEST_OVERRIDES, "PROXY_HOPS": 1})
    try:
        with app.app_context():
            assert _seen_address(app) == "198.51.100.2"   # the address our one proxy saw, not what the client wrote
    finally:
        _session_app.extensions["celery"].set_default()
