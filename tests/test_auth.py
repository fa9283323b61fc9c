"""Accounts and sessions: login, throttling, logout and password change end sessions, idle timeout, headers."""
from __future__ import annotations

import time

from portal.accounts.models import LoginFailure
from portal.config import DEFAULT_SECRET, ConfigError, build_config
from portal.extensions import db
from tenants.access import Role
from tests.factories import PASSWORD, make_institution, make_user


def _login(client, email, password=PASSWORD, ip="10.0.0.1"):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip})


def test_login_with_correct_password_opens_the_institution(app, client):
    inst = make_institution()
    user = make_user((Role.CURATOR, inst))
    r = _login(client, user.email)
    assert r.status_code == 302
    r = client.get("/", follow_redirects=True)
    assert inst.short_name in r.get_data(as_text=True)


def test_wrong_password_is_refused_in_russian(app, client):
    user = make_user()
    r = _login(client, user.email, "wrong-password-1")
    assert r.status_code == 401
    assert "Неверный адрес электронной почты или пароль" in r.get_data(as_text=True)


def test_throttling_needs_no_redis(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    user = make_user()
    for _ in range(10):
        _login(client, user.email, "bad-password-1")
    assert _login(client, user.email).status_code == 429
    assert db.session.query(LoginFailure).count() == 5  # the sixth and later were refused before being evaluated


def test_password_is_hashed_with_argon2id(app):
    user = make_user()
    assert user.password_hash.startswith("$argon2id$")


def test_production_hash_parameters_meet_owasp(tmp_path):
    cfg = build_config(tmp_path)
    assert cfg["ARGON2_MEMORY_KIB"] >= 19 * 1024 and cfg["ARGON2_TIME_COST"] >= 2
    assert cfg["ARGON2_MAX_CONCURRENT"] >= 1


def test_logout_ends_every_session(app, client):
    user = make_user(Role.ADMIN)
    other = app.test_client()
    _login(client, user.email)
    _login(other, user.email)
    assert other.get("/profile").status_code == 200
    client.post("/logout")
    assert other.get("/profile").status_code == 302


def test_password_change_ends_old_sessions(app, client):
    user = make_user()
    other = app.test_client()
    _login(client, user.email)
    _login(other, user.email)
    r = client.post("/profile/password", data={"current_password": PASSWORD, "new_password": "new-password-77",
                                               "new_password_repeat": "new-password-77"})
    assert r.status_code == 302
    assert other.get("/profile").status_code == 302
    assert _login(app.test_client(), user.email, "new-password-77").status_code == 302


def test_short_new_password_is_refused_next_to_the_field(app, client):
    user = make_user()
    _login(client, user.email)
    r = client.post("/profile/password", headers={"HX-Request": "true"},
                    data={"current_password": PASSWORD, "new_password": "short", "new_password_repeat": "short"})
    assert r.status_code == 422
    assert "не менее 12 символов" in r.get_data(as_text=True)


def test_idle_session_is_ended(app, client, login):
    user = make_user()
    login(user)
    with client.session_transaction() as s:
        s["seen"] = time.time() - 31 * 60
    r = client.get("/profile", headers={"HX-Request": "true"})
    assert r.status_code == 401 and "HX-Redirect" in r.headers


def test_session_cookie_is_httponly_and_lax(app, client):
    user = make_user()
    r = _login(client, user.email)
    cookie = r.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_security_headers(app, client):
    r = client.get("/login")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_csrf_is_required_on_state_changes(app):
    app.config["WTF_CSRF_ENABLED"] = True
    user = make_user()
    client = app.test_client()
    r = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert r.status_code == 400
    assert "Форма устарела" in r.get_data(as_text=True)


def test_production_refuses_default_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", DEFAULT_SECRET)
    monkeypatch.setenv("DATABASE_URL", "postgresql://x@localhost/x")
    import pytest

    with pytest.raises(ConfigError):
        build_config(tmp_path)


def test_password_reset_link_sets_password_once(app, client):
    from portal.accounts.services import reset_token
    from portal.mail import OutboxMessage

    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    message = db.session.query(OutboxMessage).one()
    assert "/password/reset/" in message.body
    token = reset_token(user)
    r = client.post(f"/password/reset/{token}", data={"new_password": "brand-new-pass-9", "new_password_repeat": "brand-new-pass-9"})
    assert r.status_code == 302
    r = client.post(f"/password/reset/{token}", data={"new_password": "again-new-pass-9", "new_password_repeat": "again-new-pass-9"})
    assert r.status_code == 422


def test_forgot_password_does_not_reveal_accounts(app, client):
    r1 = client.post("/password/forgot", data={"email": "nobody@test.ru"})
    assert "Если учётная запись с таким адресом существует" in r1.get_data(as_text=True)


def test_open_redirect_after_login_is_refused(app, client):
    user = make_user()
    r = client.post("/login?next=//evil.example/", data={"email": user.email, "password": PASSWORD})
    assert r.headers["Location"] == "/"
