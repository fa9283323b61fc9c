"""Browser journey of the methodological association: the curator forms the ШМО, plans a meeting, writes its
minutes, marks who was present, issues the protocol — and the coordinator's roadmap matrix turns green for item 9
(«заседания ГМО, ШМО … по отдельному плану»), which the protocol answers by itself."""
from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tenants.access import Role
from tests.factories import PASSWORD, make_institution, make_municipality, make_staff, make_user

pytestmark = pytest.mark.browser


def _login(page, user):
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _shot(page, name: str) -> None:
    """PORTAL_SCREENSHOTS=<dir>: keep what the user saw, to look at."""
    if os.environ.get("PORTAL_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['PORTAL_SCREENSHOTS']}/{name}.png", full_page=True)


def _cell(page, number: int):
    headers = page.locator("#matrix thead th").all_inner_texts()
    column = headers.index(f"№ {number}")
    return page.locator("#matrix tbody tr").first.locator("td").nth(column - 1)


def test_curator_holds_a_shmo_meeting_issues_its_protocol_and_the_matrix_turns_green(page, live_server, app):
    city = make_municipality()
    inst = make_institution(city, short_name="МАДОУ «Солнышко»")
    coordinator, curator = make_user((Role.COORDINATOR, city)), make_user((Role.CURATOR, inst))
    make_staff(inst, last_name="Петрова", first_name="Анна", middle_name="Сергеевна")
    make_staff(inst, last_name="Иванова", first_name="Мария", middle_name="Павловна")

    _login(page, coordinator)
    page.goto(f"/m/{city.slug}/roadmap")
    page.click("button:has-text('Создать')")
    page.select_option("select[name=year]", "2024")
    page.click("button:has-text('Сроки на год')")
    page.click("#generate-tasks")
    expect(page.locator(".alert-success")).to_contain_text("Задачи учреждений на 2024 год")
    matrix_url = page.url.replace(live_server, "")
    expect(_cell(page, 9)).not_to_have_class("table-success")

    other = page.context.browser.new_context(base_url=live_server, locale="ru-RU", viewport={"width": 1366, "height": 768})
    cur = other.new_page()
    cur.set_default_timeout(15000)
    _login(cur, curator)
    cur.goto(f"/i/{inst.slug}/association")
    cur.select_option("#f-kind", "shmo")
    cur.click("#create-association")
    for name, role in (("Петрова Анна Сергеевна", "chair"), ("Иванова Мария Павловна", "secretary")):
        option = cur.locator("#f-staff_id option", has_text=name).first
        option.wait_for(state="attached")   # the page after the previous click, not the one before it
        cur.select_option("#f-staff_id", label=option.inner_text().strip())
        cur.select_option("#f-role", role)
        cur.click("#add-member")
        expect(cur.locator("#members")).to_contain_text(name)
    expect(cur.locator("#members")).to_contain_text("Петрова Анна Сергеевна")
    _shot(cur, "association-page")

    cur.click("summary:has-text('Запланировать заседание')")
    cur.fill("#f-held_on", "17.05.2024")
    cur.fill("#f-starts_at", "15:00")
    cur.fill("#f-place", "Методический кабинет")
    cur.fill("#f-topic", "Итоги реализации программ наставничества")
    cur.fill("#f-agenda", "О ходе реализации персонализированных программ")
    cur.click("#plan-meeting")
    expect(cur.locator("#meeting-state")).to_have_text("Запланировано")
    cur.fill("#agenda-1 input[name=speaker]", "Петрову А.С., куратора")
    cur.fill("#agenda-1 textarea[name=heard]", "программы реализуются по плану")
    cur.fill("#agenda-1 textarea[name=decided]", "Информацию принять к сведению")
    cur.click("#save-minutes-1")
    cur.click("#save-attendance")
    _shot(cur, "association-meeting-minutes")
    cur.click("#issue-protocol")
    expect(cur.locator("#meeting-state")).to_have_text("Протокол оформлен")
    _shot(cur, "association-meeting-issued")
    with cur.expect_download() as download:
        cur.click("#protocol-docx")
    assert download.value.suggested_filename == "protocol-2023-2024-1.docx"

    cur.goto(cur.url.split("/meetings/")[0])
    _shot(cur, "association-page-with-meeting")
    with cur.expect_download() as saved:
        cur.click("a:has-text('протокол DOCX')")
    if os.environ.get("PORTAL_SCREENSHOTS"):
        saved.value.save_as(f"{os.environ['PORTAL_SCREENSHOTS']}/protocol.docx")
    page.goto(matrix_url)
    expect(_cell(page, 9)).to_have_class("table-success")
    _shot(page, "matrix-green")
    _cell(page, 9).locator("a").first.click()
    expect(page.locator("#task-evidence")).to_contain_text("Протокол № 1 заседания школьного методического объединения")
    other.close()
    assert [e for e in page.console_errors if "status of 422" not in e] == []
