"""Query budgets of pages and documents: each sends a fixed number of statements, the same at two sizes of
data (a lazy load that comes back, one statement per row, makes the counts differ) and within its budget.

Counted with tests.query_budget (an SQLAlchemy event listener: a count, not a time), each request with a
fresh session and real transactions (the `commits` marker), so the RLS scope writes of PostgreSQL count too.
"""
from __future__ import annotations

import pytest

from tests.budget_world import grow, make_budget_world
from tests.query_budget import statements

YEAR = 2024
pytestmark = pytest.mark.commits

# page → budget (statements on PostgreSQL, where the RLS scope write adds one per transaction; SQLite sends fewer)
INSTITUTION_PAGES = {
    "dashboard": ("/", 15),                               # issue 15: ≤ 15
    "program page": ("/programs/{program_id}", 17),
    "programs": ("/programs/", 12),
    "groups": ("/mentoring/groups", 13),
    "group page": ("/mentoring/groups/{group_id}", 11),
    "orders": ("/mentoring/orders", 18),
    "order page": ("/mentoring/orders/{order_id}", 21),
    "order DOCX": ("/mentoring/orders/{order_id}/order.docx", 10),   # issue 15: ≤ 10
    "institution roadmap": ("/roadmap", 10),              # issue 15: ≤ 10, the current year
    "institution indicators": ("/indicators", 7),
}
CITY_PAGES = {
    "city home": ("/", 16),
    "roadmap page": ("/roadmap/{roadmap_id}?year=2024", 12),
    "status matrix": ("/roadmap/{roadmap_id}/matrix?year=2024", 12),
    "indicators": ("/indicators", 13),
    "registry page": ("/registry", 10),
}
PUBLIC_PAGES = {
    "public city": ("/public/{city}/", 12),
    "public institution": ("/public/{city}/{inst}/", 18),
    "public practices": ("/public/{city}/practices", 7),
}


def count(client, url: str):
    """Statements of one GET, after a warm-up GET (first visits write once-a-day audit records)."""
    from portal.extensions import db

    assert client.get(url).status_code == 200, url
    db.session.remove()  # a request of its own: nothing cached from the test's identity map
    with statements() as sent:
        response = client.get(url)
    assert response.status_code == 200, url
    return sent


def _urls(w, pages: dict, prefix: str) -> dict[str, tuple[str, int]]:
    ids = {"program_id": w.program_id, "group_id": w.group_id, "order_id": w.order_id, "roadmap_id": w.roadmap_id,
           "city": w.city.slug, "inst": w.inst.slug}
    return {name: (prefix + path.format(**ids), budget) for name, (path, budget) in pages.items()}


def _check(client, urls: dict, w) -> None:
    before = {name: count(client, url).count for name, (url, _) in urls.items()}
    grow(w, 4, YEAR)
    failures = []
    for name, (url, budget) in urls.items():
        sent = count(client, url)
        if sent.count != before[name] or sent.count > budget:
            failures.append(f"{name} ({url}): {before[name]} statements, then {sent.count} with more rows; "
                            f"budget {budget}\n{sent.report()}")
    assert not failures, "\n\n".join(failures)


def test_institution_pages_and_documents_send_a_fixed_number_of_statements_within_budget(app, client, login):
    w = make_budget_world(YEAR)
    login(w.curator)
    _check(client, _urls(w, INSTITUTION_PAGES, f"/i/{w.inst.slug}"), w)


def test_city_pages_send_a_fixed_number_of_statements_within_budget(app, client, login):
    w = make_budget_world(YEAR)
    login(w.coordinator)
    _check(client, _urls(w, CITY_PAGES, f"/m/{w.city.slug}"), w)


def test_public_pages_send_a_fixed_number_of_statements_within_budget(app, client):
    w = make_budget_world(YEAR)
    _check(client, _urls(w, PUBLIC_PAGES, ""), w)
