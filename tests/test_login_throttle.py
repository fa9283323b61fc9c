"""Login throttling slows attackers and locks nobody out for good; answers cost the same for missing accounts;
password reset takes one path for every address; passwords follow ASVS L2."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.accounts import passwords, throttle
from portal.accounts.models import LoginFailure, PasswordResetRequest
from portal.errors import Invalid
from portal.extensions import db
from portal.mail import OutboxMessage
from tests.factories import PASSWORD, make_user


def _login(client, email, password=PASSWORD, ip="10.0.0.1"):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": ip})


def _age_failures(seconds: int) -> None:
    for row in db.session.query(LoginFailure):
        row.at -= timedelta(seconds=seconds)
    db.session.commit()


# --- throttling ------------------------------------------------------------------------------------------------

def test_wrong_guesses_for_made_up_emails_from_one_address_do_not_lock_out_a_colleague(app, client):
    """Behind nginx (or a school's NAT) everybody shares one address: 60 wrong guesses for invented e-mails must
    not make the correct passwords of the curator and of the admin answer 429."""
    from tenants.access import Role

    curator, admin = make_user(), make_user(Role.ADMIN)
    for i in range(60):
        _login(client, f"invented{i}@test.ru", "wrong-password-1", ip="127.0.0.1")
    assert _login(client, curator.email, ip="127.0.0.1").status_code == 302
    assert _login(app.test_client(), admin.email, ip="127.0.0.1").status_code == 302


def test_account_and_address_pair_is_slowed_with_a_growing_delay_even_with_the_right_password(app, client):
    user = make_user()
    for _ in range(throttle.PAIR_FREE):
        assert _login(client, user.email, "wrong-password-1", ip="10.1.1.1").status_code == 401
    r = _login(client, user.email, ip="10.1.1.1")
    assert r.status_code == 429 and "Подождите" in r.get_data(as_text=True) and r.headers["Retry-After"]
    assert throttle.pair_delay(throttle.PAIR_FREE + 3) > throttle.pair_delay(throttle.PAIR_FREE + 1)
    assert throttle.pair_delay(10_000) == throttle.PAIR_MAX_DELAY
    _age_failures(2)
    assert _login(client, user.email, ip="10.1.1.1").status_code == 302


def test_the_owner_elsewhere_is_not_slowed_by_an_attack_from_one_address(app, client):
    user = make_user()
    for _ in range(throttle.PAIR_FREE + 3):
        _login(client, user.email, "wrong-password-1", ip="10.2.2.2")
    assert _login(app.test_client(), user.email, ip="10.3.3.3").status_code == 302


def test_address_over_its_limit_is_refused_only_for_accounts_that_were_attacked(app, client):
    app.config["LOGIN_MAX_FAILURES_PER_IP"] = 5
    attacked, untouched = make_user(), make_user()
    _login(client, attacked.email, "wrong-password-1", ip="10.4.4.4")
    for i in range(5):
        _login(client, f"nobody{i}@test.ru", "wrong-password-1", ip="10.4.4.4")
    assert _login(client, attacked.email, ip="10.4.4.4").status_code == 429
    assert _login(app.test_client(), untouched.email, ip="10.4.4.4").status_code == 302


def test_account_locked_after_the_hourly_limit_is_unlocked_by_its_owner_through_email(app, client):
    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 6
    user = make_user()
    for i in range(6):
        _login(client, user.email, "wrong-password-1", ip=f"10.5.5.{i}")
    r = _login(client, user.email, ip="10.6.6.6")
    assert r.status_code == 429 and "разблокировки" in r.get_data(as_text=True)
    mail = db.session.query(OutboxMessage).filter_by(recipient=user.email).one()
    link = mail.body.split("/login/unlock/")[1].split()[0]
    assert client.get(f"/login/unlock/{link}").status_code == 302
    assert _login(client, user.email, ip="10.6.6.6").status_code == 302


def test_password_reset_also_unlocks_the_account(app, client):
    from portal.accounts.services import reset_token

    app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] = 3
    user = make_user()
    for i in range(3):
        _login(client, user.email, "wrong-password-1", ip=f"10.7.7.{i}")
    assert _login(client, user.email, ip="10.8.8.8").status_code == 429
    new = "a-brand-new-passphrase"
    client.post(f"/password/reset/{reset_token(user)}", data={"new_password": new, "new_password_repeat": new})
    assert _login(client, user.email, new, ip="10.8.8.8").status_code == 302


def test_forged_unlock_link_is_refused(app, client):
    r = client.get("/login/unlock/not-a-real-token")
    assert r.status_code == 422 and "недействительна" in r.get_data(as_text=True)


# --- constant-time answers ---------------------------------------------------------------------------------------

def test_missing_account_costs_one_argon2_verification_like_an_existing_one(app, client, monkeypatch):
    from argon2 import PasswordHasher

    calls = []
    original = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify", lambda self, h, p: calls.append(h) or original(self, h, p))
    user = make_user()
    _login(client, user.email, "wrong-password-1", ip="10.9.0.1")
    _login(client, "nobody-here@test.ru", "wrong-password-1", ip="10.9.0.2")
    assert len(calls) == 2 and all(h.startswith("$argon2id$") for h in calls)


def test_password_reset_is_queued_the_same_way_for_existing_and_missing_accounts(app, client, monkeypatch):
    from portal.jobs.models import Job

    monkeypatch.setattr("portal.jobs.services._dispatch", lambda ids: None)   # committed, not yet run
    user = make_user()
    r1 = client.post("/password/forgot", data={"email": user.email})
    r2 = client.post("/password/forgot", data={"email": "nobody-here@test.ru"})
    assert r1.status_code == r2.status_code == 200 and r1.get_data() == r2.get_data()
    assert [j.task for j in db.session.query(Job)] == ["accounts.password_reset"] * 2
    assert db.session.query(PasswordResetRequest).count() == 2
    assert db.session.query(OutboxMessage).count() == 0   # nothing depends on the account before the task runs


def test_password_reset_gives_the_same_answer_while_the_queue_is_down(app, client):
    from portal.jobs import services as jobs
    from portal.jobs.models import Job, JobStatus
    from tasks.celery_app import celery_init_app

    broker = app.config["CELERY"]["broker_url"]
    app.config["CELERY"].update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    celery_init_app(app)
    try:
        user = make_user()
        r1 = client.post("/password/forgot", data={"email": user.email})
        r2 = client.post("/password/forgot", data={"email": "nobody-here@test.ru"})
        assert r1.status_code == r2.status_code == 200 and r1.get_data() == r2.get_data()
        assert [j.status for j in db.session.query(Job)] == [JobStatus.PENDING] * 2   # waiting for the relay
    finally:
        jobs.reset_broker_backoff()
        app.config["CELERY"].update(broker_url=broker, task_always_eager=True)
        celery_init_app(app)


def test_reset_task_sends_the_link_only_to_an_existing_account_and_forgets_the_request(app, client):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    client.post("/password/forgot", data={"email": "nobody-here@test.ru"})
    assert [m.recipient for m in db.session.query(OutboxMessage)] == [user.email]
    assert db.session.query(PasswordResetRequest).count() == 0


# --- hashing -------------------------------------------------------------------------------------------------------

def test_hashes_running_at_once_are_bounded_per_process(app):
    app.config.update(ARGON2_MAX_CONCURRENT=1, ARGON2_QUEUE_SECONDS=0.05)
    slot = passwords._slot()
    assert slot.acquire(timeout=1)
    try:
        with pytest.raises(passwords.HashingBusy):
            passwords.hash_password("some-long-passphrase")
    finally:
        slot.release()
    assert passwords.hash_password("some-long-passphrase").startswith("$argon2id$")


# --- choosing a password (ASVS L2) -----------------------------------------------------------------------------------

@pytest.mark.parametrize("weak", ["password12", "qwerty1234", "1111111111a", "йцукенгшщз123", "Password123!",
                                  "iloveyou2024", "aaaaaaaaaaaaaaab"])
def test_common_and_trivial_passwords_are_refused(app, weak):
    with pytest.raises(Invalid):
        passwords.check_strength(weak)


def test_the_accounts_own_email_or_name_is_refused_as_password(app):
    with pytest.raises(Invalid, match="адрес электронной почты или имя"):
        passwords.check_strength("petrova.anna@school.ru", email="petrova.anna@school.ru", name="Петрова Анна")
    with pytest.raises(Invalid, match="адрес электронной почты или имя"):
        passwords.check_strength("Петрова-навсегда-2024", email="a.p@school.ru", name="Петрова Анна Ивановна")


def test_a_passphrase_without_digits_and_128_characters_are_accepted(app):
    passwords.check_strength("correct horse battery staple")
    passwords.check_strength("весна пришла в покачи")
    longest = ("мой длинный пароль из слов и цифр 42 " * 4)[:128]
    passwords.check_strength(longest)
    with pytest.raises(Invalid, match="не длиннее 128"):
        passwords.check_strength(longest + "z")


def test_common_password_list_is_shipped_with_ten_thousand_entries(app):
    assert len(passwords.common_passwords()) >= 10_000


def test_weak_password_is_refused_when_set_through_the_reset_link(app, client):
    from portal.accounts.services import reset_token

    user = make_user()
    r = client.post(f"/password/reset/{reset_token(user)}", data={"new_password": "qwerty123456",
                                                                  "new_password_repeat": "qwerty123456"})
    assert r.status_code == 422 and "распространённых" in r.get_data(as_text=True)


def test_production_argon2id_parameters_are_at_least_the_owasp_minimum_with_one_hash_at_a_time(monkeypatch, tmp_path):
    """Issue 15 item 7: the defaults a deployment gets (no ARGON2_* in its environment) are 19 MiB, t=2, p=1, and a
    process runs one hash at a time, a login waiting at most 5 s for its turn."""
    from portal.config import build_config

    for name in ("ARGON2_TIME_COST", "ARGON2_MEMORY_KIB", "ARGON2_MAX_CONCURRENT", "ARGON2_QUEUE_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    cfg = build_config(tmp_path)
    assert cfg["ARGON2_MEMORY_KIB"] >= 19 * 1024 and cfg["ARGON2_TIME_COST"] >= 2
    assert (cfg["ARGON2_MAX_CONCURRENT"], cfg["ARGON2_QUEUE_SECONDS"]) == (1, 5)
