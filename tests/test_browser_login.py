"""Browser journey in Debian's Chromium: a curator logs in and lands on her institution."""
from __future__ import annotations

import pytest

from tenants.access import Role
from tests.factories import PASSWORD, make_institution, make_user

pytestmark = pytest.mark.browser


def test_curator_logs_in_and_sees_only_her_institution(page, app):
    mine, other = make_institution(short_name="МАДОУ «Ромашка»"), make_institution(short_name="МАДОУ «Василёк»")
    user = make_user((Role.CURATOR, mine), email="curator@romashka.test")
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/i/{mine.slug}/")
    assert "МАДОУ «Ромашка»" in page.inner_text("h1")
    assert page.console_errors == []  # CSP and scripts load cleanly
    response = page.goto(f"/i/{other.slug}/")
    assert response.status == 404


def test_wrong_password_shows_russian_message(page, app):
    user = make_user()
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", "not-the-password-1")
    page.click("button[type=submit]")
    assert "Неверный адрес электронной почты или пароль" in page.inner_text("#login-error")
