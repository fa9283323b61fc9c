"""Browser journey: the curator searches the staff list over HTMX and pages through it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tenants.access import Role
from tests.factories import PASSWORD, make_institution, make_staff, make_user

pytestmark = pytest.mark.browser


def test_curator_searches_staff_over_htmx(page, app):
    inst = make_institution(short_name="МАДОУ «Берёзка»")
    for i in range(27):
        make_staff(inst, last_name=f"Листова{i:02d}")
    make_staff(inst, last_name="Снегирёва", first_name="Полина")
    user = make_user((Role.CURATOR, inst))
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/i/{inst.slug}/")
    page.click("text=Педагоги")
    page.wait_for_url(f"**/i/{inst.slug}/staff/")
    assert page.locator("#staff-table tbody tr").count() == 25
    page.click("#staff-table .pagination >> text=2")
    expect(page.locator("#staff-table tbody tr")).to_have_count(3)
    page.fill("#staff-q", "снегир")
    expect(page.locator("#staff-table tbody tr")).to_have_count(1)
    assert "Снегирёва Полина" in page.inner_text("#staff-table")
    assert "q=" in page.url  # the search is in the address bar, so it survives a reload
    page.reload()
    assert "Снегирёва Полина" in page.inner_text("#staff-table")
    assert page.console_errors == []
