"""The second factor for admins, coordinators, regional accounts and heads: enrolment with a QR code, a code after
the password, recovery codes that work once, required in production for admin and coordinator, reset by the
admin; enrolment and reset audited."""
from __future__ import annotations

from datetime import UTC, datetime

import pyotp
import pytest

from portal.accounts import mfa
from portal.accounts.models import RecoveryCode, TotpFactor
from portal.audit.models import AuditEvent
from portal.config import build_config
from portal.extensions import db
from tenants.access import Role
from tests.factories import PASSWORD, make_institution, make_user


def _login(client, user, password=PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password}, environ_base={"REMOTE_ADDR": "10.0.0.9"})


def _code(user, offset_steps: int = 0) -> str:
    factor = db.session.query(TotpFactor).filter_by(user_id=user.id).one()
    totp = pyotp.TOTP(mfa._secret(factor))
    return totp.generate_otp(totp.timecode(datetime.now(UTC)) + offset_steps)


def _enrol(client, user) -> list[str]:
    page = client.get("/profile/mfa").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page and "Ключ для ввода вручную" in page
    r = client.post("/profile/mfa", data={"code": _code(user)})
    assert r.status_code == 200
    return [chunk.split("<")[0] for chunk in r.get_data(as_text=True).split('font-monospace fs-5">')[1:]]


def test_production_requires_a_second_factor_for_admin_and_coordinator(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@db/nastavnik")
    monkeypatch.delenv("PORTAL_DEMO_PASSWORD", raising=False)
    assert {"admin", "coordinator"} <= set(build_config(tmp_path)["MFA_REQUIRED_ROLES"])


def test_head_enrols_with_a_qr_code_and_then_logs_in_with_a_code(app, client, login):
    head = make_user((Role.HEAD, make_institution()))
    login(head)
    codes = _enrol(client, head)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert db.session.query(AuditEvent).filter_by(action="mfa_enrol", object_id=head.id).count() == 1
    fresh = app.test_client()
    r = _login(fresh, head)
    assert r.status_code == 302 and r.headers["Location"].endswith("/login/code")
    assert fresh.get("/profile").status_code == 302          # the password alone opens nothing
    r = fresh.post("/login/code", data={"code": _code(head, 1)})
    assert r.status_code == 302 and fresh.get("/profile").status_code == 200


def test_a_wrong_code_is_refused_and_a_used_code_is_not_accepted_twice(app, client, login):
    head = make_user((Role.HEAD, make_institution()))
    login(head)
    _enrol(client, head)   # used the current step
    fresh = app.test_client()
    _login(fresh, head)
    r = fresh.post("/login/code", data={"code": "000000" if _code(head) != "000000" else "111111"})
    assert r.status_code == 401 and "Код не подошёл" in r.get_data(as_text=True)
    r = fresh.post("/login/code", data={"code": _code(head)})   # the step the enrolment consumed
    assert r.status_code == 401


def test_a_recovery_code_works_once(app, client, login):
    head = make_user((Role.HEAD, make_institution()))
    login(head)
    codes = _enrol(client, head)
    first = app.test_client()
    _login(first, head)
    assert first.post("/login/code", data={"code": codes[0]}).status_code == 302
    second = app.test_client()
    _login(second, head)
    assert second.post("/login/code", data={"code": codes[0]}).status_code == 401
    assert db.session.query(RecoveryCode).filter(RecoveryCode.used_at.isnot(None)).count() == 1
    assert db.session.query(AuditEvent).filter_by(action="mfa_recovery_used").count() == 1


def test_a_required_role_without_a_factor_is_sent_to_enrolment_after_the_password(app, client):
    app.config["MFA_REQUIRED_ROLES"] = ["admin", "coordinator"]
    coordinator = make_user((Role.COORDINATOR, make_institution().municipality))
    r = _login(client, coordinator)
    assert r.headers["Location"].endswith("/login/mfa/setup")
    page = client.get("/login/mfa/setup").get_data(as_text=True)
    assert "Для вашей роли вход защищается вторым фактором" in page and "data:image/svg+xml" in page
    assert client.get("/profile").status_code == 302
    r = client.post("/login/mfa/setup", data={"code": _code(coordinator)})
    assert r.status_code == 200 and "Коды восстановления" in r.get_data(as_text=True)
    assert client.get("/profile").status_code == 200


def test_curator_is_not_asked_for_a_second_factor_and_cannot_enrol(app, client, login):
    app.config["MFA_REQUIRED_ROLES"] = ["admin", "coordinator"]
    curator = make_user((Role.CURATOR, make_institution()))
    assert _login(client, curator).headers["Location"] == "/"
    assert client.get("/profile/mfa").status_code == 403


def test_wrong_codes_are_throttled_like_passwords(app, client, login):
    from portal.accounts import throttle

    head = make_user((Role.HEAD, make_institution()))
    login(head)
    _enrol(client, head)
    fresh = app.test_client()
    _login(fresh, head)
    for _ in range(throttle.PAIR_FREE):
        fresh.post("/login/code", data={"code": "12345"})
    assert fresh.post("/login/code", data={"code": _code(head, 1)}).status_code == 429


def test_the_admin_resets_a_lost_factor_and_it_is_audited(app, client, login):
    head = make_user((Role.HEAD, make_institution()))
    login(head)
    _enrol(client, head)
    admin = make_user(Role.ADMIN)
    admin_client = app.test_client()
    login(admin, admin_client)
    r = admin_client.post(f"/admin/users/{head.id}/mfa/reset")
    assert r.status_code == 302
    assert db.session.query(TotpFactor).filter_by(user_id=head.id).count() == 0
    event = db.session.query(AuditEvent).filter_by(action="mfa_reset", object_id=head.id).one()
    assert event.actor_id == admin.id
    assert client.get("/profile").status_code == 302           # the head's sessions ended
    assert _login(app.test_client(), head).headers["Location"] == "/"   # not required in this config: plain login


def test_only_the_platform_admin_may_reset_a_factor(app, client, login):
    head = make_user((Role.HEAD, make_institution()))
    login(make_user((Role.COORDINATOR, make_institution().municipality)))
    assert client.post(f"/admin/users/{head.id}/mfa/reset").status_code in (403, 404)


def test_the_totp_secret_is_stored_encrypted(app, client, login):
    head = make_user((Role.HEAD, make_institution()))
    login(head)
    _enrol(client, head)
    factor = db.session.query(TotpFactor).filter_by(user_id=head.id).one()
    assert mfa._secret(factor) not in factor.secret_encrypted


@pytest.mark.parametrize("bad", ["", "abc", "1" * 40])
def test_malformed_codes_are_refused_without_a_5xx(app, client, login, bad):
    head = make_user((Role.HEAD, make_institution()))
    login(head)
    _enrol(client, head)
    fresh = app.test_client()
    _login(fresh, head)
    assert fresh.post("/login/code", data={"code": bad}).status_code == 401
