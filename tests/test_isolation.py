"""Generated isolation test: every institution route and API endpoint, called by a member of institution A
with B's ids, answers 404 and leaves B unchanged; B's slug answers 404 to A's members.

Routes are enumerated from app.url_map, so a new route is covered (or fails) without anyone editing this file.
"""
from __future__ import annotations

import re

import pytest

from portal.extensions import db
from tenants.access import Role
from tenants.context import platform_scope
from tests.factories import make_institution, make_municipality, make_user
from tests.isolation_registry import ID_MAKERS, NOT_TENANT_IDS

ALL_INSTITUTION_ROLES = (Role.HEAD, Role.CURATOR, Role.MENTOR, Role.MENTEE)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def institution_rules(app):
    for rule in app.url_map.iter_rules():
        if "inst_slug" in rule.arguments:
            yield rule


def municipality_rules(app):
    for rule in app.url_map.iter_rules():
        if "muni_slug" in rule.arguments:
            yield rule


def _snapshot_tenant_rows(institution_id: int) -> dict:
    from tenants.models import TenantOwned

    rows = {}
    with platform_scope("isolation snapshot"):
        for mapper in db.Model.registry.mappers:
            cls = mapper.class_
            if isinstance(cls, type) and issubclass(cls, TenantOwned):
                table = cls.__table__
                result = db.session.execute(table.select().where(table.c.institution_id == institution_id)).all()
                rows[table.name] = sorted(tuple(map(str, r)) for r in result)
    db.session.remove()
    return rows


def _url(rule, values: dict) -> str:
    path = rule.rule
    for name, value in values.items():
        path = re.sub(r"<(?:[^:<>]+:)?" + name + ">", str(value), path)
    return path


def _client_for(app, user, api: bool):
    from portal.accounts.services import create_api_token

    client = app.test_client()
    if api:
        token = create_api_token(user, "isolation")
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    else:
        import time

        with client.session_transaction() as s:
            s["_user_id"] = user.get_id()
            s["seen"] = s["login_at"] = time.time()
    return client


def test_every_institution_route_hides_other_institutions_rows(app):
    city = make_municipality()
    a, b = make_institution(city), make_institution(city)
    member_a = make_user(*[(r, a) for r in ALL_INSTITUTION_ROLES])
    missing = sorted({arg for rule in institution_rules(app) for arg in rule.arguments
                      if arg != "inst_slug" and arg not in ID_MAKERS and arg not in NOT_TENANT_IDS})
    assert not missing, f"add makers to tests/isolation_registry.py for: {missing}"

    checked = 0
    for rule in institution_rules(app):
        ids = {arg: (ID_MAKERS[arg](b) if arg in ID_MAKERS else NOT_TENANT_IDS[arg])
               for arg in rule.arguments if arg != "inst_slug"}
        if not ids:
            continue
        before = _snapshot_tenant_rows(b.id)
        api = rule.rule.startswith("/api/")
        client = _client_for(app, member_a, api)
        for method in METHODS:
            if method not in rule.methods:
                continue
            for headers in ({}, {"HX-Request": "true"}):
                url = _url(rule, {"inst_slug": a.slug, **ids})
                r = client.open(url, method=method, headers=headers, data={} if not api else None,
                                json={} if api and method != "GET" else None)
                assert r.status_code == 404, f"{method} {rule.rule} with B's ids gave {r.status_code}"
                checked += 1
        assert _snapshot_tenant_rows(b.id) == before, f"{rule.rule} changed institution B"
    print(f"isolation: {checked} requests checked")


def test_other_institutions_slug_is_404_for_every_route(app):
    city = make_municipality()
    a, b = make_institution(city), make_institution(city)
    member_a = make_user(*[(r, a) for r in ALL_INSTITUTION_ROLES])
    for rule in institution_rules(app):
        ids = {arg: (ID_MAKERS[arg](b) if arg in ID_MAKERS else NOT_TENANT_IDS.get(arg, 1))
               for arg in rule.arguments if arg != "inst_slug"}
        client = _client_for(app, member_a, rule.rule.startswith("/api/"))
        for method in METHODS:
            if method in rule.methods:
                r = client.open(_url(rule, {"inst_slug": b.slug, **ids}), method=method)
                assert r.status_code == 404, f"{method} {rule.rule} on B's slug gave {r.status_code}"


def test_coordinator_of_other_city_gets_404_on_every_city_route(app):
    city, other = make_municipality(), make_municipality()
    coordinator = make_user((Role.COORDINATOR, other), (Role.REGIONAL, other), (Role.EXPERT, other))
    for rule in municipality_rules(app):
        client = _client_for(app, coordinator, rule.rule.startswith("/api/"))
        for method in METHODS:
            if method in rule.methods:
                values = {arg: 1 for arg in rule.arguments if arg != "muni_slug"}
                r = client.open(_url(rule, {"muni_slug": city.slug, **values}), method=method)
                assert r.status_code == 404, f"{method} {rule.rule} of another city gave {r.status_code}"


@pytest.mark.parametrize("path", ["/i/{slug}/", "/api/v1/institutions"])
def test_coordinator_sees_institutions_of_her_city_only(app, path):
    city, other = make_municipality(), make_municipality()
    mine, foreign = make_institution(city), make_institution(other)
    coordinator = make_user((Role.COORDINATOR, city))
    client = _client_for(app, coordinator, path.startswith("/api/"))
    if path.startswith("/api/"):
        slugs = [i["slug"] for i in client.get(path).get_json()["items"]]
        assert slugs == [mine.slug]
    else:
        assert client.get(path.format(slug=mine.slug)).status_code == 200
        assert client.get(path.format(slug=foreign.slug)).status_code == 404


def _snapshot_city_rows(municipality_id: int) -> dict:
    from tenants.models import CityOwned

    rows = {}
    with platform_scope("isolation snapshot"):
        for mapper in db.Model.registry.mappers:
            cls = mapper.class_
            if isinstance(cls, type) and issubclass(cls, CityOwned):
                table = cls.__table__
                result = db.session.execute(table.select().where(table.c.municipality_id == municipality_id)).all()
                rows[table.name] = sorted(tuple(map(str, r)) for r in result)
    db.session.remove()
    return rows


def test_every_city_route_hides_other_cities_rows(app):
    """The coordinator of city A, on A's own pages, with ids of city B's rows (or of B's institutions): 404."""
    from tests.isolation_registry import CITY_MAKERS

    city_a, city_b = make_municipality(), make_municipality()
    inst_b = make_institution(city_b)
    coordinator = make_user((Role.COORDINATOR, city_a), (Role.REGIONAL, city_a), (Role.EXPERT, city_a))  # every city role
    missing = sorted({arg for rule in municipality_rules(app) for arg in rule.arguments
                      if arg != "muni_slug" and arg not in CITY_MAKERS and arg not in ID_MAKERS
                      and arg not in NOT_TENANT_IDS})
    assert not missing, f"add CITY_MAKERS (tests/isolation_makers) for: {missing}"
    checked = 0
    for rule in municipality_rules(app):
        args = [a for a in rule.arguments if a != "muni_slug"]
        if not args:
            continue
        ids = {a: (CITY_MAKERS[a](city_b) if a in CITY_MAKERS else
                   ID_MAKERS[a](inst_b) if a in ID_MAKERS else NOT_TENANT_IDS[a]) for a in args}
        before = (_snapshot_city_rows(city_b.id), _snapshot_tenant_rows(inst_b.id))
        api = rule.rule.startswith("/api/")
        client = _client_for(app, coordinator, api)
        for method in METHODS:
            if method in rule.methods:
                # The API gets a JSON object (a body of the wrong shape is a 422 for any id, found or not).
                r = client.open(_url(rule, {"muni_slug": city_a.slug, **ids}), method=method,
                                data=None if api else {}, json={} if api and method != "GET" else None)
                assert r.status_code == 404, f"{method} {rule.rule} with city B's ids gave {r.status_code}"
                checked += 1
        assert (_snapshot_city_rows(city_b.id), _snapshot_tenant_rows(inst_b.id)) == before, rule.rule
    assert checked
