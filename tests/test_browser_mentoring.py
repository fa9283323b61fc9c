"""Browser journey of a mentoring year: the curator forms a pair and drafts the order, the head issues it, the
mentee acknowledges it,
the mentor writes the program, the curator approves it, the mentee marks an item done, the mentor completes it."""
from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from portal.periods import add_months
from tenants.access import Role
from tests.factories import PASSWORD, make_institution, make_staff, make_user
from tests.person_picker import pick_person

pytestmark = pytest.mark.browser


def _login(page, user):
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/i/**")


def _as(page, live_server, user):
    context = page.context.browser.new_context(base_url=live_server, locale="ru-RU", viewport={"width": 1280, "height": 900})
    other = context.new_page()
    other.set_default_timeout(15000)
    other.console_errors = []
    other.on("console", lambda m: other.console_errors.append(m.text) if m.type == "error" else None)
    _login(other, user)
    return other


def test_mentoring_year_from_pair_to_completed_program(page, live_server, app):
    inst = make_institution(short_name="МАДОУ «Берёзка»")
    curator = make_user((Role.CURATOR, inst))
    head = make_user((Role.HEAD, inst))
    mentor_user, mentee_user = make_user((Role.MENTOR, inst)), make_user((Role.MENTEE, inst))
    mentor = make_staff(inst, last_name="Гречишкина", first_name="Алла", user_id=mentor_user.id)
    mentee = make_staff(inst, last_name="Одуванчикова", first_name="Зоя", user_id=mentee_user.id,
                        pedagogical_start=date(2025, 9, 1))
    today = date.today()

    # The curator forms the pair.
    _login(page, curator)
    page.click("nav >> text=Пары и группы")
    pick_person(page, "mentor_ids", mentor.last_name, mentor.id)
    pick_person(page, "mentee_ids", mentee.last_name, mentee.id)
    page.select_option("#f-form_id", label="Традиционная форма наставничества («один-на-один»)")
    page.click("#group-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Пара (группа) №")
    page.click("#consent-all button")   # both written consents collected on one day
    expect(page.locator("text=нет")).to_have_count(0)

    # …and drafts the order on it; the head issues it.
    page.click("nav >> text=Приказы")
    page.fill("#f-number", "15-О")
    page.select_option("#f-group_ids", index=0)
    page.click("#order-form button[type=submit]")
    expect(page.locator("#issue-order")).to_have_count(0)   # the curator drafts, the head signs
    head_page = _as(page, live_server, head)
    head_page.goto(page.url.replace(live_server, ""))
    head_page.click("#issue-order")
    expect(head_page.locator(".alert-success")).to_contain_text("Приказ № 15-О издан")

    # The mentee acknowledges with her own button.
    mentee_page = _as(page, live_server, mentee_user)
    expect(mentee_page.locator("h1")).to_have_text("Моё наставничество")
    mentee_page.click("text=С приказом ознакомлен(а)")
    expect(mentee_page.locator("text=Ознакомлен(а)")).to_be_visible()

    # The mentor writes the program with one plan item.
    mentor_page = _as(page, live_server, mentor_user)
    mentor_page.click("nav >> text=Программы")
    mentor_page.click("text=Новая программа")
    mentor_page.fill("#f-title", "Первые шаги в профессии")
    mentor_page.fill("#f-goal", "Освоить планирование образовательной деятельности")
    mentor_page.fill("#f-start_date", today.strftime("%d.%m.%Y"))
    mentor_page.fill("#f-end_date", add_months(today, 2).strftime("%d.%m.%Y"))
    mentor_page.click("button:has-text('Создать черновик')")
    expect(mentor_page.locator(".is-invalid")).to_have_count(1)  # two months: the regulation wants three to twelve
    expect(mentor_page.locator("text=короче 3 месяцев")).to_be_visible()
    mentor_page.fill("#f-end_date", add_months(today, 4).strftime("%d.%m.%Y"))
    mentor_page.click("button:has-text('Создать черновик')")
    expect(mentor_page.locator("#program-state")).to_have_text("Черновик")
    mentor_page.click("text=Добавить мероприятие")
    mentor_page.fill("#f-content", "Составить план на месяц вместе с наставником")
    mentor_page.fill("#f-due_date", today.strftime("%d.%m.%Y"))
    mentor_page.click("#plan button:has-text('Добавить')")
    expect(mentor_page.locator("#plan tbody tr")).to_have_count(1)
    program_url = mentor_page.url

    # The curator approves and starts it.
    page.goto(program_url.replace(live_server, ""))
    page.click("#advance-state")
    page.click("#advance-state")
    expect(page.locator("#program-state")).to_have_text("Реализуется")

    # The mentee marks the item done from her own page, inline.
    mentee_page.goto(f"/i/{inst.slug}/my")
    row = mentee_page.locator("tr", has_text="Составить план на месяц")
    row.locator("input[name=note]").fill("План составлен и согласован")
    row.locator("button:has-text('Выполнено')").click()
    expect(mentee_page.locator("tr", has_text="Составить план на месяц")).to_contain_text("Выполнено")

    # The mentor completes the program: the plan is done.
    mentor_page.reload()
    mentor_page.select_option("#f-reason", "plan_done")
    mentor_page.click("#complete-program")
    expect(mentor_page.locator("#program-state")).to_have_text("Завершена")
    # The refused two-month program answered 422 on purpose; nothing else may fail.
    errors = page.console_errors + head_page.console_errors + mentee_page.console_errors + mentor_page.console_errors
    assert [e for e in errors if "status of 422" not in e] == []
