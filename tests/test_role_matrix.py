"""Role matrix: deny by default; every route is in the checked-in matrix; each role gets what it lists."""
from __future__ import annotations

import time

import pytest
from flask import Flask

from tenants.access import Role, access_rule
from tests.factories import make_institution, make_municipality, make_user
from tests.role_matrix import MATRIX


def _declared(app: Flask) -> dict[str, set[str]]:
    return {ep: {str(x) for x in (access_rule(view) or ())}
            for ep, view in app.view_functions.items() if ep != "static"}


def test_every_route_is_in_the_matrix(app):
    declared = _declared(app)
    missing = sorted(set(declared) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(declared))
    assert not missing, f"routes missing from tests/role_matrix.py: {missing}"
    assert not stale, f"matrix lists routes that no longer exist: {stale}"


def test_declared_rules_match_the_matrix(app):
    declared = _declared(app)
    wrong = {ep: (declared[ep], MATRIX[ep]) for ep in MATRIX if ep in declared and declared[ep] != MATRIX[ep]}
    assert not wrong, f"rule in code differs from the matrix: {wrong}"


@pytest.mark.fresh_app
def test_route_without_rule_is_denied(app, client, login):
    app.add_url_rule("/forgotten-rule", "forgotten", lambda: "secret")
    login(make_user(Role.ADMIN))
    r = client.get("/forgotten-rule")
    assert r.status_code == 403 and "secret" not in r.get_data(as_text=True)


def _plain_get_rules(app, slug_arg):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and set(rule.arguments) == {slug_arg} and not rule.rule.startswith("/api/"):
            yield rule


def _client(app, user):
    c = app.test_client()
    with c.session_transaction() as s:
        s["_user_id"] = user.get_id()
        s["seen"] = s["login_at"] = time.time()
    return c


def test_each_role_gets_exactly_the_institution_pages_it_is_allowed(app):
    city = make_municipality()
    inst = make_institution(city)
    for role in Role:
        where = inst if role.level == "institution" else (city if role.level in ("municipality", "region") else None)
        user = make_user((role, where) if where is not None else role)
        client = _client(app, user)
        for rule in _plain_get_rules(app, "inst_slug"):
            status = client.get(rule.rule.replace("<inst_slug>", inst.slug)).status_code
            allowed = role.value in MATRIX[rule.endpoint]
            if role.level == "institution" or role in (Role.COORDINATOR, Role.REGIONAL, Role.EXPERT, Role.ADMIN):
                if allowed:
                    assert status == 200, f"{role} on {rule.rule}: {status}"
                else:
                    assert status == 403, f"{role} on {rule.rule}: {status}, matrix denies"


def test_each_role_gets_exactly_the_city_pages_it_is_allowed(app):
    city = make_municipality()
    make_institution(city)
    for role in (Role.COORDINATOR, Role.REGIONAL, Role.EXPERT):
        client = _client(app, make_user((role, city)))
        for rule in _plain_get_rules(app, "muni_slug"):
            status = client.get(rule.rule.replace("<muni_slug>", city.slug)).status_code
            expected = 200 if role.value in MATRIX[rule.endpoint] else 403
            assert status == expected, f"{role} on {rule.rule}: {status}"


def test_anonymous_is_sent_to_login_everywhere_but_public_pages(app):
    inst = make_institution()
    client = app.test_client()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        if set(rule.arguments) - {"inst_slug", "muni_slug"}:
            continue
        url = rule.rule.replace("<inst_slug>", inst.slug).replace("<muni_slug>", inst.municipality.slug)
        status = client.get(url).status_code
        if "public" in MATRIX[rule.endpoint]:
            assert status == 200, f"{url}: {status}"
        else:
            assert status in (302, 401), f"{url} open to anonymous: {status}"


def _plain_post_rules(app, slug_arg):
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and set(rule.arguments) == {slug_arg} and not rule.rule.startswith("/api/"):
            yield rule


@pytest.mark.parametrize("level", ["inst_slug", "muni_slug"])
def test_each_role_may_post_exactly_where_the_matrix_allows(app, level):
    """One operation per endpoint: a refused POST is the 403 of its own rule, an allowed one is never refused."""
    city = make_municipality()
    inst = make_institution(city)
    where = {"inst_slug": inst.slug, "muni_slug": city.slug}
    wrong = []
    for role in Role:
        place = inst if role.level == "institution" else (city if role.level in ("municipality", "region") else None)
        if level == "muni_slug" and role.level == "institution":
            continue
        client = _client(app, make_user((role, place) if place is not None else role))
        for rule in _plain_post_rules(app, level):
            if rule.endpoint in MATRIX and "public" in MATRIX[rule.endpoint]:
                continue
            status = client.post(rule.rule.replace(f"<{level}>", where[level]), data={}).status_code
            allowed = role.value in MATRIX[rule.endpoint]
            if role.level != "institution" and role not in (Role.COORDINATOR, Role.REGIONAL, Role.EXPERT, Role.ADMIN):
                continue
            if allowed and status in (403, 404, 405) or not allowed and status != 403:
                wrong.append(f"{role.value} POST {rule.rule}: {status} ({'allowed' if allowed else 'denied'})")
    assert not wrong, "\n".join(wrong)
