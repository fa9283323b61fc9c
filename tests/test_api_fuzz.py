"""Schemathesis over /api/v1/openapi.json, as several roles: no answer is a 5xx and every answer matches the
published schema (status codes, content types, bodies, timestamps with a time zone). Bounded: a few examples
per operation (PORTAL_FUZZ_EXAMPLES, default 12), valid and invalid data both.

The path parameters are pinned to objects of a small world (plus ids and slugs that do not exist), so the
generated requests reach the views instead of stopping at 404."""
from __future__ import annotations

import copy
import os

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi import checks  # noqa: E402

from tenants.access import Role  # noqa: E402
from tests.factories import (make_group, make_institution, make_plan_item, make_program, make_staff,  # noqa: E402
                             make_user)

EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "12"))
MISSING_ID = 2_000_000_000
# Everything the published document promises. Not «positive_data_acceptance»: a schema-valid body may still break
# a rule of the service (a due date outside the program), which is a documented 422, not a defect.
CHECKS = [not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance, checks.negative_data_rejection,
          checks.ignored_auth]


def _world():
    inst = make_institution()
    city = inst.municipality
    mentor, mentee = make_staff(inst), make_staff(inst)
    group = make_group(inst, mentors=[mentor], mentees=[mentee])
    program = make_program(group)
    item = make_plan_item(program)
    users = {"curator": make_user((Role.CURATOR, inst)), "head": make_user((Role.HEAD, inst)),
             "coordinator": make_user((Role.COORDINATOR, city)), "mentor": make_user((Role.MENTOR, inst))}
    ids = {"staff_id": [mentor.id, mentee.id], "group_id": [group.id], "program_id": [program.id],
           "item_id": [item.id]}
    return inst, city, users, ids


def _pinned(doc: dict, inst, city, ids: dict) -> dict:
    doc = copy.deepcopy(doc)
    for path in doc["paths"].values():
        for op in path.values():
            for p in op.get("parameters", []):
                if p["in"] != "path":
                    continue
                if p["name"] == "inst_slug":
                    p["schema"] = {"type": "string", "enum": [inst.slug, "no-such-institution"]}
                elif p["name"] == "muni_slug":
                    p["schema"] = {"type": "string", "enum": [city.slug, "no-such-city"]}
                else:
                    p["schema"] = {"type": "integer", "enum": ids.get(p["name"], []) + [1, MISSING_ID]}
    return doc


def _token(app, user) -> str:
    result = app.test_cli_runner().invoke(args=["tokens", "create", user.email])
    return result.output.strip().splitlines()[-1]


def test_api_answers_every_generated_request_without_5xx_and_as_published(app):
    inst, city, users, ids = _world()
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    schema = schemathesis.openapi.from_dict(_pinned(doc, inst, city, ids))
    schema.app = app
    tokens = [_token(app, u) for u in users.values()]
    checked = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                nonlocal checked
                for token in tokens:
                    response = case.call(headers={"Authorization": f"Bearer {token}"})
                    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code,
                                                        response.text[:300])
                    case.validate_response(response, checks=CHECKS, headers={"Authorization": f"Bearer {token}"})
                    checked += 1

            run()
    assert checked > 100
    print(f"fuzz: {checked} requests")


def test_api_timestamps_carry_a_time_zone(app):
    """RFC 3339 date-time needs an offset: a naive «2026-12-01T10:00:00» is not what the document promises."""
    from portal.api.serializers import stamp

    inst, city, users, ids = _world()
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + _token(app, users["curator"])
    program_id, item_id = ids["program_id"][0], ids["item_id"][0]
    r = client.post(f"/api/v1/i/{inst.slug}/programs/{program_id}/items/{item_id}/done", json={"note": "Проведено"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["done_at"].endswith("+00:00")
    from datetime import datetime

    assert stamp(datetime(2026, 12, 1, 10, 0)) == "2026-12-01T10:00:00+00:00" and stamp(None) is None


def test_every_api_route_is_published_in_the_openapi_document(app):
    """A route the document leaves out would escape both the edge validation and the fuzzing."""
    from portal.api.validation import openapi_path

    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or "openapi" in rule.rule or "for-test" in rule.rule:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if method.lower() not in paths.get(openapi_path(rule.rule), {}):
                missing.append(f"{method} {rule.rule}")
    assert not missing, missing
