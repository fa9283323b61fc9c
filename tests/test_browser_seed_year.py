"""Browser journey of the seed's year through the pages, in invented names and the seed's shapes: the curator starts
the Положение from the sample, uploads the Word list naming the order, its date and its academic year; the head's
first attempt to issue is refused naming each participant without written consent; the curator records the
consents and fills the order's items and appendices; the head issues it; its DOCX reads back item by item with
the tenure as of the order's date."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import expect

from tests import seed_year as seed
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _login(page, user):
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/i/**")


def test_the_seeds_year_through_the_pages(page, live_server, app, tmp_path):
    inst, head, curator, _deputy, _ = seed.make_kindergarten()

    # The curator starts the regulation from the sample (sections 1–9).
    _login(page, curator)
    page.goto(f"/i/{inst.slug}/acts")
    page.click("#start-regulation")
    expect(page.locator(".alert-success")).to_contain_text("разделы 1–9")

    # …uploads the list as the order's appendix: №, date and academic year as the documents say.
    listing = tmp_path / "список.docx"
    listing.write_bytes(seed.list_docx())
    page.goto(f"/i/{inst.slug}/mentoring/groups/import")
    page.set_input_files("#f-file", str(listing))
    page.fill("#f-order_number", seed.ORDER_NUMBER)
    page.fill("#f-order_date", "21.11.2022")
    page.select_option("#f-academic_year", seed.YEAR)
    page.click("button[type=submit]:has-text('Загрузить')")
    expect(page.locator("#import-result .alert-success")).to_be_visible()
    page.click(f"#import-result >> text=Приказ № {seed.ORDER_NUMBER}")
    order_url = page.url.replace(live_server, "")

    # The curator fills the order: the seed's items, the regulation as appendix 1, the list as appendix 2.
    page.click("summary:has-text('Изменить проект приказа')")
    page.fill("#f-preamble", seed.PREAMBLE)
    page.fill("#f-items", seed.ITEMS)
    options = page.locator("#f-appendix_1 option").all_text_contents()
    page.select_option("#f-appendix_1", index=next(i for i, t in enumerate(options) if t.startswith("Положение")))
    page.select_option("#f-appendix_2", index=next(i for i, t in enumerate(options) if t.startswith("Список")))
    page.click("#order-form button[type=submit]")
    expect(page.locator("#order-items")).to_contain_text("2.3.")
    expect(page.locator("#consent-warning")).to_contain_text("Хайруллина Г. Р.")

    # The head may not issue it while written consents are missing: the refusal names each participant.
    head_context = page.context.browser.new_context(base_url=live_server, locale="ru-RU",
                                                    viewport={"width": 1366, "height": 768})
    head_page = head_context.new_page()
    head_page.set_default_timeout(15000)
    _login(head_page, head)
    head_page.goto(order_url)
    head_page.click("#issue-order")
    refusal = head_page.locator(".alert-danger")
    expect(refusal).to_contain_text("нет письменного согласия")
    for name in ("Белова Т. А.", "Хайруллина Г. Р.", "Гусейнова А. Э. Г.", "Алиева М. Р."):
        expect(refusal).to_contain_text(name)

    # The curator records the written consents, all dated before the order, at once.
    page.goto(f"/i/{inst.slug}/mentoring/groups?year={seed.YEAR}")
    page.locator("table tbody a").first.click()
    page.fill("#f-consent-all", "18.11.2022")
    page.click("#consent-all button")
    expect(page.locator("td", has_text="от 18.11.2022")).to_have_count(4)

    # Now the head issues it.
    head_page.goto(order_url)
    head_page.click("#issue-order")
    expect(head_page.locator(".alert-success")).to_contain_text(f"Приказ № {seed.ORDER_NUMBER} издан")

    # Its DOCX reads back item by item, tenure as of 21.11.2022, the regulation before the list.
    with head_page.expect_download() as download:
        head_page.click("text=Скачать DOCX")
    docx_bytes = Path(download.value.path()).read_bytes()
    if os.environ.get("PORTAL_SCREENSHOTS"):   # kept for a person to render and read
        Path(os.environ["PORTAL_SCREENSHOTS"], "seed-order.docx").write_bytes(docx_bytes)
    doc = Document(io.BytesIO(docx_bytes))
    text = [p.text for p in doc.paragraphs]
    numbers = [t.split()[0] for t in text if t[:1].isdigit() and t.split()[0].endswith(".")]
    assert numbers[:9] == ["1.", "1.1.", "1.2.", "2.", "2.1.", "2.2.", "2.3.", "3.", "4."]
    assert text.index("Приложение 1") < text.index("Приложение 2")
    assert [r.cells[4].text for r in doc.tables[-1].rows[1:]] == seed.TENURE
    assert [r.cells[3].text for r in doc.tables[-1].rows[1:]] == seed.MENTEES
    head_context.close()
    assert page.console_errors == []
