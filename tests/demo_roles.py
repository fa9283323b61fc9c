"""The demo's accounts, one per role, and the links of a page: shared by the landing and browser crawl tests."""
from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from portal.demo import DEMO_ACCOUNTS
from tests.factories import PASSWORD


def load_demo(app, monkeypatch) -> None:
    """The whole demo (every feature's data), its accounts with the test password."""
    monkeypatch.setenv("PORTAL_DEMO_PASSWORD", PASSWORD)
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output


def one_account_per_role() -> list[tuple[str, str]]:
    """(role, email) of the first demo account of each role."""
    seen: dict[str, str] = {}
    for email, _name, role, _where in DEMO_ACCOUNTS:
        seen.setdefault(role.value, email)
    return list(seen.items())


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def page_links(html: str, base: str) -> list[str]:
    """The site's own pages linked from the HTML (paths with their query), in order, each once."""
    parser = _Links()
    parser.feed(html)
    out: list[str] = []
    for href in parser.hrefs:
        if href.startswith(("#", "mailto:", "tel:", "javascript:")):
            continue
        url = urlsplit(urljoin(base, href))
        if url.netloc and url.netloc != urlsplit(base).netloc:
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if path not in out:
            out.append(path)
    return out
