"""Browser journey of the roadmap: the coordinator generates tasks, an institution submits evidence, the
coordinator returns it, it is resubmitted and accepted, and the status matrix shows it accepted."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tenants.access import Role
from tests.factories import PASSWORD, make_institution, make_municipality, make_user

pytestmark = pytest.mark.browser


def _login(page, user):
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_evidence_returned_resubmitted_accepted_and_shown(page, live_server, app):
    city = make_municipality()
    inst = make_institution(city, short_name="МАДОУ «Журавушка»")
    coordinator, curator = make_user((Role.COORDINATOR, city)), make_user((Role.CURATOR, inst))

    _login(page, coordinator)
    page.goto(f"/m/{city.slug}/roadmap")
    page.click("button:has-text('Создать')")
    expect(page.locator("#activities")).to_contain_text("Лучшие практики наставничества")
    page.select_option("select[name=year]", "2024")
    page.click("button:has-text('Сроки на год')")
    page.click("#generate-tasks")
    expect(page.locator(".alert-success")).to_contain_text("Задачи учреждений на 2024 год")
    matrix_url = page.url.replace(live_server, "")

    other = page.context.browser.new_context(base_url=live_server, locale="ru-RU")
    inst_page = other.new_page()
    inst_page.set_default_timeout(15000)
    _login(inst_page, curator)
    inst_page.goto(f"/i/{inst.slug}/roadmap")
    inst_page.click("a:has-text('№ 4.')")
    inst_page.fill("#f-evidence_text", "Соглашение с колледжем заключено")
    inst_page.fill("#f-figures", "Соглашений: 1")
    inst_page.click("#submit-evidence")
    expect(inst_page.locator(".alert-success")).to_contain_text("отправлено координатору")

    page.goto(matrix_url)
    expect(page.locator("#matrix td.table-info")).to_have_count(1)   # submitted: on review
    page.click("#matrix td.table-info a")
    expect(page.locator("#task-status")).to_have_text("На проверке")
    page.fill("#f-review_comment", "Приложите скан соглашения")
    page.click("button:has-text('Вернуть на доработку')")

    inst_page.goto(f"/i/{inst.slug}/roadmap")
    inst_page.click("a:has-text('№ 4.')")
    expect(inst_page.locator("dd")).to_contain_text(["Приложите скан соглашения"])
    inst_page.set_input_files("#f-files", files=[{"name": "соглашение.pdf", "mimeType": "application/pdf",
                                                  "buffer": b"%PDF-1.4 test"}])
    inst_page.click("#submit-evidence")

    page.goto(matrix_url)
    page.click("#matrix td.table-info a")
    expect(page.locator("a:has-text('соглашение.pdf')")).to_be_visible()
    page.click("#accept-task")
    expect(page.locator("#matrix td.table-success")).to_have_count(1)
    assert [e for e in page.console_errors if "status of 422" not in e] == []
