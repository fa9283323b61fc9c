"""Every role lands on its own desk after login, never on a 403, and every link on that desk opens."""
from __future__ import annotations

import pytest

from tests.demo_roles import load_demo, one_account_per_role, page_links
from tests.factories import PASSWORD

# Where each role starts: its own desk (the path, without the city's or institution's slug).
DESKS = {
    "admin": "/admin/institutions",
    "coordinator": "/m/{city}/",
    "regional": "/r/{region}/registry",
    "expert": "/m/{city}/jury",
    "head": "/i/{inst}/",
    "curator": "/i/{inst}/",
    "mentor": "/i/{inst}/",
    "mentee": "/i/{inst}/",
}


@pytest.fixture()
def demo(app, monkeypatch):
    load_demo(app, monkeypatch)


def _log_in(app, email):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD}, follow_redirects=True)
    return client, response


def _landing_matches(role, path):
    parts = DESKS[role].replace("{city}", "*").replace("{inst}", "*").replace("{region}", "*").split("*")
    if len(parts) == 1:
        return path == parts[0]
    head, tail = parts[0], parts[-1]
    middle = path[len(head):len(path) - len(tail)] if tail else path[len(head):]
    return path.startswith(head) and path.endswith(tail) and middle and "/" not in middle


def test_every_role_lands_on_its_own_desk_and_every_link_on_it_opens(app, demo):
    checked = 0
    for role, email in one_account_per_role():
        client, landing = _log_in(app, email)
        path = landing.request.path
        assert landing.status_code == 200, f"{role} lands on {path}: {landing.status_code}"
        assert role in DESKS, f"no desk known for the demo role {role}"
        assert _landing_matches(role, path), f"{role} lands on {path}, not on {DESKS[role]}"
        broken = []
        for link in page_links(landing.get_data(as_text=True), "http://localhost" + path):
            response = client.get(link, follow_redirects=True)
            response.close()    # a download streams: closed here, not by the garbage collector outside the request
            checked += 1
            if response.status_code != 200:
                broken.append(f"{link}: {response.status_code}")
        assert not broken, f"{role} ({path}) links that do not open:\n" + "\n".join(broken)
    assert checked > 50


def test_the_regional_institute_sees_in_its_menu_only_what_it_may_open(app, demo):
    email = dict(one_account_per_role())["regional"]
    client, landing = _log_in(app, email)
    html = landing.get_data(as_text=True)
    assert "Реестр региона" in html
    for link in page_links(html, "http://localhost" + landing.request.path):
        response = client.get(link)
        response.close()
        assert response.status_code in (200, 302), link


def test_a_juror_sees_the_entries_waiting_for_their_score(app, demo):
    email = dict(one_account_per_role())["expert"]
    _client, landing = _log_in(app, email)
    html = landing.get_data(as_text=True)
    assert "Конкурсы, где вы в жюри" in html and "Доступ запрещён" not in html
