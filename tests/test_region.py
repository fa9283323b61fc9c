"""The region above the cities (issue 16, item 7): the regional institute's account reads every city of its region and
no other region, and never writes; a city coordinator never sees another city; the merged registry (built on request
through the outbox, 202 with a job to poll, and every month) and the target indicators rolled up from the cities."""
from __future__ import annotations

import io
import re
import time

from openpyxl import load_workbook

from portal.extensions import db
from tenants.access import Role
from tenants.context import platform_scope
from tests.factories import make_institution, make_municipality, make_region, make_staff, make_user

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


def _client(app, user, api: bool = False):
    from portal.accounts.services import create_api_token

    client = app.test_client()
    if api:
        client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + create_api_token(user, "test")
    else:
        with client.session_transaction() as s:
            s["_user_id"], s["_fresh"], s["seen"], s["login_at"] = user.get_id(), True, time.time(), time.time()
    return client


def _url(rule, values: dict) -> str:
    path = rule.rule
    for name, value in values.items():
        path = re.sub(r"<(?:[^:<>]+:)?" + name + ">", str(value), path)
    return path


def _world():
    region, other_region = make_region(), make_region()
    a, b = make_municipality(region=region), make_municipality(region=region)
    elsewhere = make_municipality(region=other_region)
    return region, other_region, a, b, elsewhere


def _tenant_rules(app, slug: str):
    return [rule for rule in app.url_map.iter_rules() if slug in rule.arguments]


def test_a_city_coordinator_never_sees_another_city_of_the_same_region(app):
    region, _other, a, b, _elsewhere = _world()
    inst_b = make_institution(b)
    coordinator = make_user((Role.COORDINATOR, a))
    checked = 0
    for slug_arg, slug in (("muni_slug", b.slug), ("inst_slug", inst_b.slug), ("region_slug", region.slug)):
        for rule in _tenant_rules(app, slug_arg):
            client = _client(app, coordinator, rule.rule.startswith("/api/"))
            values = {arg: 1 for arg in rule.arguments if arg != slug_arg}
            values.setdefault("kind", "xlsx")
            for method in rule.methods & {"GET", *UNSAFE}:
                r = client.open(_url(rule, {slug_arg: slug, **values}), method=method)
                assert r.status_code == 404, f"{method} {rule.rule} of another city gave {r.status_code}"
                checked += 1
    assert checked > 100


def test_the_region_account_sees_every_city_of_its_region_and_no_other_region(app):
    from tests.role_matrix import MATRIX

    region, other_region, a, b, elsewhere = _world()
    make_institution(a), make_institution(b), make_institution(elsewhere)
    regional = make_user((Role.REGIONAL, a))   # given with a city: bound to the city's region
    client = _client(app, regional)
    plain = [r for r in app.url_map.iter_rules() if "GET" in r.methods and not r.rule.startswith("/api/")]
    for rule in (r for r in plain if set(r.arguments) == {"muni_slug"}):
        expected = 200 if "regional" in MATRIX[rule.endpoint] else 403
        for city in (a, b):
            status = client.get(_url(rule, {"muni_slug": city.slug})).status_code
            assert status == expected, f"{rule.rule} of {city.slug}: {status}"
        assert client.get(_url(rule, {"muni_slug": elsewhere.slug})).status_code == 404, rule.rule
    for rule in (r for r in plain if set(r.arguments) == {"region_slug"}):
        r = client.get(_url(rule, {"region_slug": region.slug}))
        assert r.status_code in (200, 302), f"{rule.rule}: {r.status_code}"
        assert client.get(_url(rule, {"region_slug": other_region.slug})).status_code == 404, rule.rule
    assert client.get("/", follow_redirects=False).headers["Location"].endswith(f"/r/{region.slug}/registry")


def test_the_region_account_never_writes(app):
    """Every unsafe method on every tenant route of its own region — city, institution, region, pages and API — is
    a 403, whatever the route's rule; and a read-only scope stands behind it."""
    region, _other, a, _b, _elsewhere = _world()
    inst = make_institution(a)
    regional = make_user((Role.REGIONAL, a))
    slugs = {"muni_slug": a.slug, "inst_slug": inst.slug, "region_slug": region.slug}
    checked = 0
    for slug_arg, slug in slugs.items():
        for rule in _tenant_rules(app, slug_arg):
            unsafe = rule.methods & set(UNSAFE)
            if not unsafe:
                continue
            api = rule.rule.startswith("/api/")
            client = _client(app, regional, api)
            values = {arg: 1 for arg in rule.arguments if arg != slug_arg}
            for method in unsafe:
                r = client.open(_url(rule, {slug_arg: slug, **values}), method=method,
                                json={} if api else None, data=None if api else {})
                assert r.status_code == 403, f"{method} {rule.rule}: {r.status_code}"
                checked += 1
    assert checked > 100
    from tenants.context import TenantViolation, region_scope, reset_scope, set_scope

    with platform_scope("test"):
        scope = region_scope(region.id)
    token = set_scope(scope)
    try:
        make_staff_row = __import__("portal.staff.models", fromlist=["Staff"]).Staff
        db.session.add(make_staff_row(institution_id=inst.id, last_name="Пробная", first_name="Запись",
                                      position="uchitel"))
        try:
            db.session.flush()
            raise AssertionError("a write under the region's scope went through")
        except TenantViolation:
            db.session.rollback()
    finally:
        reset_scope(token)


def _region_fixture():
    from portal.mentoring.models import MentorProfile

    region, _other, a, b, elsewhere = _world()
    people = {}
    for city, last in ((a, "Ольхова"), (b, "Кедрова"), (elsewhere, "Чужая")):
        inst = make_institution(city)
        mentor = make_staff(inst, last_name=last, first_name="Нина", middle_name="Ивановна")
        tutor = make_staff(inst, last_name=last + "-Тьютор", first_name="Ада", middle_name="Львовна", position="tyutor")
        with platform_scope("test"):
            db.session.add(MentorProfile(institution_id=inst.id, staff_id=mentor.id, competencies=["planning"]))
            db.session.commit()
        people[city.slug] = (mentor, tutor)
    make_user((Role.EXPERT, b), name="Экспертова Юлия Марковна")
    return region, a, b, elsewhere


def test_the_region_registry_merges_every_city_with_the_city_as_a_column(app):
    from portal.region.registry import COLUMNS

    region, a, b, elsewhere = _region_fixture()
    admin = _client(app, make_user(Role.ADMIN), api=True)
    r = admin.post(f"/api/v1/r/{region.slug}/registry")
    assert r.status_code == 202
    body = r.get_json()
    assert body["job_id"] and body["poll"].endswith(f"/r/{region.slug}/registry/builds/{body['export_id']}")
    regional = make_user((Role.REGIONAL, a))
    polled = _client(app, regional, api=True).get(body["poll"]).get_json()
    assert polled["status"] == "done" and polled["finished"] and polled["cities"] == 2   # in-process here
    web = _client(app, regional)
    data = web.get(f"/r/{region.slug}/registry/{body['export_id']}/registry.xlsx").data
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS and rows[0][0] == "Город" and ws.page_setup.fitToWidth == 1
    kinds = {(row[0], row[2].split()[0], row[3]) for row in rows[1:]}
    assert kinds == {(a.name, "Ольхова", "Наставник"), (a.name, "Ольхова-Тьютор", "Тьютор"),
                     (b.name, "Кедрова", "Наставник"), (b.name, "Кедрова-Тьютор", "Тьютор"),
                     (b.name, "Экспертова", "Эксперт (член жюри)")}
    assert "Чужая" not in str(rows) and elsewhere.name not in str(rows)   # another region's city
    api = _client(app, regional, api=True).get(f"/api/v1/r/{region.slug}/registry").get_json()
    assert api["row_count"] == 5 and {i["Город"] for i in api["items"]} == {a.name, b.name}
    assert _client(app, regional, api=True).post(f"/api/v1/r/{region.slug}/registry").status_code == 403


def test_an_export_of_another_region_is_404(app):
    region, a, _b, _elsewhere = _region_fixture()
    other = make_region()
    make_municipality(region=other)
    admin = _client(app, make_user(Role.ADMIN), api=True)
    export_id = admin.post(f"/api/v1/r/{region.slug}/registry").get_json()["export_id"]
    stranger = make_user((Role.REGIONAL, make_municipality(region=other)))
    client = _client(app, stranger)
    assert client.get(f"/r/{other.slug}/registry/{export_id}/registry.csv").status_code == 404
    assert client.get(f"/r/{other.slug}/registry/{export_id}/progress").status_code == 404
    assert client.get(f"/r/{region.slug}/registry").status_code == 404


def test_the_region_registry_is_built_every_month_once(app):
    from tasks.registry import region_monthly
    from tasks.schedule import BEAT_SCHEDULE

    _region_fixture()
    assert BEAT_SCHEDULE["region-registry-monthly"]["task"] == "registry.region_monthly"
    with platform_scope("count"):
        regions = db.session.execute(db.select(db.func.count()).select_from(
            __import__("tenants.models", fromlist=["Region"]).Region)).scalar_one()
    assert region_monthly.delay().get() == regions
    assert region_monthly.delay().get() == 0   # sent twice (two beats): this month's exports exist already


def test_the_region_target_indicators_roll_up_the_cities_snapshots(app):
    from tasks.aggregation import run_inline

    region, a, b, elsewhere = _region_fixture()
    for city in (a, b, elsewhere):
        run_inline("2023-Q1", city.id)
    client = _client(app, make_user((Role.REGIONAL, a)))
    page = client.get(f"/r/{region.slug}/indicators?period=2023-Q1").get_data(as_text=True)
    assert a.name in page and b.name in page and elsewhere.name not in page
    body = _client(app, make_user((Role.REGIONAL, b)), api=True).get(
        f"/api/v1/r/{region.slug}/indicators?period=2023-Q1").get_json()
    assert [c["name"] for c in body["cities"]] == sorted([a.name, b.name])
    assert body["reported"] == body["institutions"] == 2
    assert body["total"]["staff"] == sum(c["figures"]["staff"] for c in body["cities"]) == 4
    ws = load_workbook(io.BytesIO(client.get(f"/r/{region.slug}/indicators.xlsx?period=2023-Q1").data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Город" and [r[0] for r in rows[1:3]] == sorted([a.name, b.name])
    assert rows[-1][0] == f"Итого: {region.name}" and ws.page_setup.paperSize == 9 and ws.print_title_rows
    assert client.get(f"/r/{region.slug}/indicators?period=2023-Q9").status_code == 422
    assert "Целевые показатели" in page and ": I квартал 2023</h1>" in page
    assert '<option value="2023-Q1" selected>I квартал 2023</option>' in page


def test_a_municipality_of_no_region_is_seen_by_no_region_account(app):
    from portal.accounts.services import grant_role
    from portal.errors import Invalid
    from tenants.models import Municipality

    region, _o, a, _b, _e = _world()
    with platform_scope("test"):
        lone = Municipality(name="г. Одинокий", slug="lone-city")
        db.session.add(lone)
        db.session.commit()
        user = make_user()
        try:
            grant_role(db.session.merge(user), Role.REGIONAL, municipality=lone)
            raise AssertionError("a region's role given with a city of no region")
        except Invalid:
            db.session.rollback()
    regional = make_user((Role.REGIONAL, a))
    assert _client(app, regional).get("/m/lone-city/registry").status_code == 404


def test_admin_manages_regions_and_puts_a_city_into_one(app):
    admin = _client(app, make_user(Role.ADMIN))
    city = make_municipality()
    assert admin.post("/admin/regions", data={"name": "Тестовая область", "slug": "x"}).status_code == 422
    assert admin.post("/admin/regions", data={"name": "Тестовая область", "slug": "test-oblast"}).status_code == 302
    from tenants.models import Municipality, Region

    with platform_scope("check"):
        region = db.session.execute(db.select(Region).where(Region.slug == "test-oblast")).scalar_one()
    assert admin.post(f"/admin/municipalities/{city.id}/region", data={"region_id": region.id}).status_code == 302
    assert admin.post(f"/admin/regions/{region.id}/edit", data={"name": "Тестовая область (новая)",
                                                               "slug": "test-oblast"}).status_code == 302
    with platform_scope("check"):
        db.session.expire_all()
        assert db.session.get(Municipality, city.id).region_id == region.id
        assert db.session.get(Region, region.id).name == "Тестовая область (новая)"
    page = admin.get("/admin/regions").get_data(as_text=True)
    assert "Тестовая область (новая)" in page and city.name in page
