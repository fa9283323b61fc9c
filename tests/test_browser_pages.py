"""Every page of every demo role, in Chromium at 1366×768 (a school PC) and 390×844 (a phone): the page never
scrolls sideways (only a `.table-responsive` inside it may), no console error, every page opens; axe-core finds no
serious or critical violation on each role's main pages. With PORTAL_SCREENSHOTS set to a folder, each role's desk
is saved there at 1366×768.

The crawl is bounded: each role's desk, its menu and the links on its desk, one page per URL pattern (ids and
query values folded), at most MAX_PAGES a role."""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.demo_roles import load_demo, one_account_per_role, page_links
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
MAX_PAGES = 45
AXE_PAGES = 100  # the desk and every menu page of each role
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
SETTLED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
SKIP = re.compile(r"^/(static|api)/|/logout$")


def _pattern(path: str) -> str:
    """/i/x/pairs/12?year=3 and /i/x/pairs/13?year=4 are the same page to look at."""
    url = urlsplit(path)
    query = "&".join(sorted(p.split("=")[0] for p in url.query.split("&") if p))
    return re.sub(r"\d+", "N", url.path) + ("?" + query if query else "")


def _log_in(browser, base, email):
    context = browser.new_context(base_url=base, locale="ru-RU", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    return context, page, errors


def _overflow(page) -> int:
    """How far the document is wider than the window (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _fits_both(page, where: str, problems: list[str]) -> None:
    for size in (DESKTOP, PHONE):
        if size is PHONE:
            page.set_viewport_size(PHONE)
            page.evaluate(SETTLED)  # let resize observers (charts) lay out again
        extra = _overflow(page)
        if extra > 0:
            wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                             && !e.closest('.table-responsive'))
                .slice(0, 3).map(e => e.tagName + '.' + e.className).join(' | ')""")
            problems.append(f"{where} at {size['width']}px: {extra}px too wide ({wide})")
    page.set_viewport_size(DESKTOP)


def _axe(page, where: str, problems: list[str]) -> None:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")  # over DevTools: the page's CSP does not apply
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations'],
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
    }""")
    problems.extend(f"{where}: {v}" for v in found)


def _focus_is_visible(page, where: str, problems: list[str]) -> None:
    """Tab from the top: the skip link, then the header's first link — each drawn with a visible outline."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(2):
        page.keyboard.press("Tab")
        style = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return [e.tagName + ' ' + (e.textContent || '').trim().slice(0, 30), s.outlineStyle, s.outlineWidth, s.boxShadow]; }""")
        if style[1] == "none" and style[3] == "none":
            problems.append(f"{where}: focus not visible on {style[0]}")


def _visit(page, context, path: str, problems: list[str]) -> bool:
    """Open a page; True when it is an HTML page that can be looked at, False for a download."""
    try:
        response = page.goto(path)
    except PlaywrightError as exc:
        if "Download is starting" not in str(exc):
            raise
        status = context.request.get(path).status
        if status != 200:
            problems.append(f"{path}: download answers {status}")
        return False
    if response is None or response.status != 200:
        problems.append(f"{path}: {response.status if response else 'no response'}")
        return False
    return True


def _menu_links(page) -> list[str]:
    return page.eval_on_selector_all("#sidebar a[href], .app-header a[href]", "els => els.map(e => e.getAttribute('href'))")


def test_every_page_of_every_demo_role_fits_the_screen_and_passes_axe(app, live_server, _browser, monkeypatch):
    load_demo(app, monkeypatch)
    shots = os.environ.get("PORTAL_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    visited_total = 0
    for role, email in one_account_per_role():
        context, page, errors = _log_in(_browser, live_server, email)
        desk = urlsplit(page.url).path
        assert "Доступ запрещён" not in page.content(), f"{role} lands on a 403 at {desk}"
        if shots:
            page.screenshot(path=str(Path(shots) / f"desk-{role}-1366x768.png"))
        _fits_both(page, f"{role} {desk}", problems)
        _axe(page, f"{role} {desk}", problems)
        _focus_is_visible(page, f"{role} {desk}", problems)
        menu = [p for p in page_links("".join(f'<a href="{h}"></a>' for h in _menu_links(page)), live_server)]
        todo = menu + page_links(page.content(), page.url)
        seen, axed = {_pattern(desk)}, 1
        for path in todo:
            if len(seen) >= MAX_PAGES:
                break
            if SKIP.search(urlsplit(path).path) or _pattern(path) in seen:
                continue
            seen.add(_pattern(path))
            if not _visit(page, context, path, problems):
                continue
            visited_total += 1
            _fits_both(page, f"{role} {path}", problems)
            if axed < AXE_PAGES and path in menu:
                _axe(page, f"{role} {path}", problems)
                axed += 1
        problems.extend(f"{role} console: {e}" for e in errors)
        context.close()
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
    assert visited_total > 60
