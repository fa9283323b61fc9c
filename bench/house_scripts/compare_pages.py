"""Render the demo's pages with two template directories and compare the HTML (issue 10, wrapping templates).

Throwaway check. Loads the demo into a temporary SQLite database, then for every demo account crawls the portal
from its front page (GET links inside the site, no downloads, no logout) and renders each page with the old
templates and with the new ones, one right after the other in the same session. Compared three ways: the bytes;
the parsed HTML with whitespace inside tags gone (attributes as a list), flow text's whitespace runs as one space,
whitespace-only text inside table parts dropped (table layout ignores it) and an SVG path's `d` with its whitespace
collapsed (SVG path grammar); and, when those differ, the old page fetched again (to tell a real change from a page
that changes by itself, e.g. a CSRF token or a clock).
Usage: python compare_pages.py OLD_TEMPLATES_DIR NEW_TEMPLATES_DIR [max pages per account]
"""
from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

RAW = {"pre", "textarea", "script", "style"}
TABLE_PARTS = {"table", "thead", "tbody", "tfoot", "tr", "select"}  # whitespace there is not rendered
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
        "path"}
SKIP = re.compile(r"/logout|\.docx|\.xlsx|\.zip|\.csv|\.pdf|/download|/export|/files?/|/static/", re.I)


TOKEN = re.compile(r"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{10,}")


def _attrs(attrs):
    return tuple((k, re.sub(r"\s+", " ", v) if (k == "d" and v) else v) for k, v in attrs)


def untoken(html: str) -> str:
    """CSRF tokens are signed with the second they were made: the only part of a page that differs by itself."""
    return TOKEN.sub("TOKEN", html)


class Events(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.stack = []

    def handle_starttag(self, tag, attrs):
        self.out.append(("start", tag, _attrs(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(("startend", tag, _attrs(attrs)))

    def handle_endtag(self, tag):
        self.out.append(("end", tag))
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        top = self.stack[-1] if self.stack else ""
        if top in RAW:
            self.out.append(("raw", data))
            return
        if not data.strip() and top in TABLE_PARTS:
            return
        text = re.sub(r"\s+", " ", data)
        if self.out and self.out[-1][0] == "text":
            self.out[-1] = ("text", re.sub(r"\s+", " ", self.out[-1][1] + text))
        else:
            self.out.append(("text", text))

    def handle_comment(self, data):
        self.out.append(("comment", re.sub(r"\s+", " ", data)))

    def handle_decl(self, decl):
        self.out.append(("decl", decl))


def normal(html: str):
    p = Events()
    p.feed(untoken(html))
    p.close()
    return p.out


def links(html: str, base: str):
    for href in re.findall(r'href="([^"#]+)', html):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or SKIP.search(parts.path):
            continue
        yield parts.path + (("?" + parts.query) if parts.query else "")


def main(old_dir, new_dir, per_account=60):
    tmp = Path(tempfile.mkdtemp(prefix="wrap-compare-"))
    for key in ("DATABASE_URL", "DATABASE_OWNER_URL", "REDIS_URL"):
        os.environ.pop(key, None)
    os.environ["PORTAL_INSTANCE"] = str(tmp)
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'demo.db'}"
    os.environ["PORTAL_DEMO_PASSWORD"] = "demo-password-10"
    from flask_migrate import upgrade
    from jinja2 import FileSystemLoader

    from portal import create_app
    from portal.demo import DEMO_ACCOUNTS, load_demo

    app = create_app({"WTF_CSRF_ENABLED": True})
    with app.app_context():
        upgrade()
        load_demo()
    rendered = set()  # every template loaded, includes and macros too: what the crawl covered

    class Recording(FileSystemLoader):
        def get_source(self, environment, template):
            rendered.add(template)
            return super().get_source(environment, template)

    loaders = {"old": Recording(old_dir), "new": Recording(new_dir)}

    def render(client, url, which):
        app.jinja_env.loader = loaders[which]
        app.jinja_env.cache.clear()
        r = client.get(url, headers={"Accept": "text/html"})
        return r.status_code, r.get_data(as_text=True), r.headers.get("Location")

    from portal.accounts.models import User
    from portal.extensions import db

    stats = {"pages": 0, "bytes_equal": 0, "normal_equal": 0, "self_changing": 0, "differ": 0, "status_differ": 0}
    seen_global = set()
    for email, *_ in DEMO_ACCOUNTS:
        client = app.test_client()
        with app.app_context():
            user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
            uid = user.get_id()
        with client.session_transaction() as s:
            s["_user_id"] = uid
            s["_fresh"] = True
            s["seen"] = s["login_at"] = time.time()
        queue, seen, done = deque(["/"]), {"/"}, 0
        while queue and done < per_account:
            url = queue.popleft()
            s_old, old, loc = render(client, url, "old")
            if s_old in (301, 302, 303) and loc:
                nxt = urlsplit(urljoin("http://localhost" + url, loc))
                target = nxt.path + (("?" + nxt.query) if nxt.query else "")
                if target not in seen and not SKIP.search(nxt.path):
                    seen.add(target)
                    queue.append(target)
                continue
            s_new, new, _ = render(client, url, "new")
            done += 1
            stats["pages"] += 1
            key = (email, url)
            if s_old != s_new:
                stats["status_differ"] += 1
                print(f"STATUS {key}: {s_old} -> {s_new}")
            elif untoken(old) == untoken(new):
                stats["bytes_equal"] += 1
            elif normal(old) == normal(new):
                stats["normal_equal"] += 1
            else:
                _, again, _ = render(client, url, "old")
                if normal(again) != normal(old):
                    stats["self_changing"] += 1
                    print(f"CHANGES BY ITSELF {key}")
                else:
                    stats["differ"] += 1
                    a, b = normal(old), normal(new)
                    i = next(i for i, (x, y) in enumerate(zip(a, b)) if x != y) if any(
                        x != y for x, y in zip(a, b)) else min(len(a), len(b))
                    print(f"DIFFERS {key}: {str(a[i:i + 3])[:300]} vs {str(b[i:i + 3])[:300]}")
            if s_old == 200 and "text/html" in "text/html":
                for link in links(old, "http://localhost" + url):
                    if link not in seen:
                        seen.add(link)
                        queue.append(link)
        seen_global |= {(email, u) for u in seen}
        print(f"{email}: {done} pages", flush=True)
    print(stats)
    print(f"templates loaded ({len(rendered)}):", " ".join(sorted(rendered)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 60)
