"""Browser journey of the contest: the coordinator opens it, two institutions submit, two jurors score, the results
are published and show on the public page."""
from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from portal.consent.models import ConsentKind, ConsentRecord
from portal.extensions import db
from tenants.access import Role
from tenants.context import platform_scope
from tests.factories import PASSWORD, make_institution, make_municipality, make_staff, make_user
from tests.person_picker import pick_person

pytestmark = pytest.mark.browser


def _as(page, live_server, user):
    context = page.context.browser.new_context(base_url=live_server, locale="ru-RU", viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.set_default_timeout(15000)
    p.console_errors = []
    p.on("console", lambda m: p.console_errors.append(m.text) if m.type == "error" else None)
    p.goto("/login")
    p.fill("input[name=email]", user.email)
    p.fill("input[name=password]", PASSWORD)
    p.click("button[type=submit]")
    p.wait_for_load_state()
    return p


def test_contest_from_opening_to_the_public_page(page, live_server, app):
    city = make_municipality()
    a, b = make_institution(city, short_name="МАДОУ «Синичка»"), make_institution(city, short_name="МАОУ СОШ № 3")
    coordinator = make_user((Role.COORDINATOR, city), name="Координатор Города")
    jurors = [make_user((Role.EXPERT, city), name=n) for n in ("Эксперт Первая", "Эксперт Вторая")]
    authors = {}
    for inst in (a, b):
        authors[inst.id] = make_staff(inst, last_name=f"Автор{inst.id}")
        with platform_scope("fixture"):
            db.session.add(ConsentRecord(institution_id=inst.id, staff_id=authors[inst.id].id, purpose="Конкурс",
                                         kind=ConsentKind.PUBLICATION, fields=["full_name"], given_on=date(2024, 1, 1)))
            db.session.commit()
    day = date.today().strftime("%d.%m.%Y")

    co = _as(page, live_server, coordinator)
    co.goto(f"/m/{city.slug}/contests")
    co.fill("#f-title", "Лучшие практики наставничества")
    for field in ("entries_from", "entries_until", "judging_until", "results_on"):
        co.fill(f"#f-{field}", day)
    co.fill("#f-nominations", "Педагог — педагогу | 2")
    co.click("button:has-text('Создать')")
    expect(co.locator("#contest-state")).to_have_text("Черновик")
    for juror, role in zip(jurors, ("chair", "secretary")):
        pick_person(co, "user_id", juror.full_name, juror.id)
        co.select_option("select[name=role]", role)
        co.click("button:has-text('Добавить в жюри')")
    co.click("button:has-text('Открыть приём заявок')")
    expect(co.locator("#contest-state")).to_have_text("Приём заявок")
    contest_url = co.url.replace(live_server, "")

    for inst in (a, b):
        cur = _as(page, live_server, make_user((Role.CURATOR, inst)))
        cur.goto(f"/i/{inst.slug}/contests")
        cur.fill("#f-title", f"Тандем {inst.short_name}")
        cur.fill("#f-description", "Наставник и молодой педагог вместе готовят открытые занятия")
        pick_person(cur, "author_ids", authors[inst.id].last_name, authors[inst.id].id)
        cur.click("#submit-entry")
        expect(cur.locator(".alert-success")).to_contain_text("Заявка подана")

    co.goto(contest_url)
    for _ in range(2):
        co.locator("button:has-text('Допустить')").first.click()
    co.click("button:has-text('Начать экспертизу')")
    for juror_index in range(2):
        for row in range(2):
            form = co.locator("form:has(select[name=juror_id])").nth(row)
            form.locator("select[name=juror_id]").select_option(index=juror_index)
            form.locator("button").click()
    for juror, marks in zip(jurors, ((9, 6), (8, 5))):
        jp = _as(page, live_server, juror)
        jp.goto(contest_url.replace("/contests/", "/jury/"))
        for n, mark in enumerate(marks):
            sheet = jp.locator("form:has(input[name=assignment_id])").nth(n)
            for box in sheet.locator("input[type=number]").all():
                box.fill(str(mark))
            sheet.locator("button:has-text('Сохранить оценки')").click()
            expect(jp.locator(".alert-success")).to_contain_text("Оценки сохранены")
    co.goto(contest_url)
    co.click("#publish-results")
    expect(co.locator("#contest-state")).to_have_text("Итоги опубликованы")
    expect(co.locator("#results")).to_contain_text("Победитель")

    visitor = page
    visitor.goto(f"/public/{city.slug}/")
    expect(visitor.locator("main")).to_contain_text("Итоги конкурса «Лучшие практики наставничества»")
    expect(visitor.locator("body")).to_contain_text("Победитель")
    assert [e for e in co.console_errors + visitor.console_errors if "status of 422" not in e] == []
