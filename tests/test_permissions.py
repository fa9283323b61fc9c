"""Permissions are named once, in tenants/access.py: views, services and templates use the names; lookups go
through tenants.queries; the city pages are audited as the docs say."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.errors import NotFound
from portal.extensions import db
from tenants.access import EDIT_MENTORING, RULES, Role, allow, can
from tenants.context import institution_scope
from tests.factories import make_institution, make_municipality, make_staff, make_user

ROOT = Path(__file__).resolve().parents[1]
PERMISSIONS = ROOT / "tenants" / "access.py"

# A role set written by hand, or a check of the current roles by hand, anywhere but tenants/access.py.
HAND_WRITTEN_RULES = [
    (re.compile(r"Role\.[A-Z]+\s*,\s*Role\.[A-Z]+"), "two roles side by side: a role tuple or set"),
    (re.compile(r"[(\[{]\s*Role\.[A-Z]+\s*,\s*[)\]}]"), "a one-role tuple"),
    (re.compile(r"[\[{]\s*Role\.[A-Z]+\s*[\]}]"), "a one-role list or set"),
    (re.compile(r"@allow\([^)]*Role\."), "@allow with a role instead of a named rule"),
    (re.compile(r"\bg\.roles\b"), "the request's roles read by hand (use can(...) or current_roles())"),
    (re.compile(r"\bin\s+current_roles\b"), "roles tested by hand in a template (use can('...'))"),
    (re.compile(r"\broles\s*&"), "a role intersection by hand (use RULE.admits(roles))"),
    (re.compile(r"Role\.[A-Z]+\s+(?:not\s+)?in\s+\w*roles"), "a role membership test by hand"),
    (re.compile(r"^\s*[A-Z_]*(?:EDITORS|READERS|WRITERS|CURATORS|SUBMITTERS|DECIDERS|OVERSEERS|VIEWERS)\s*=", re.M),
     "a role group defined outside the permissions module"),
]


def _sources():
    for folder in ("portal", "tasks", "tenants", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in {".py", ".html"} and path != PERMISSIONS:
                yield path


def test_no_role_tuple_or_hand_written_role_check_outside_the_permissions_module():
    found = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        if path.parts[-2:] == ("tenants", "routing.py"):
            # The guard sets the request's roles: the one place that writes g.roles.
            text = re.sub(r"\bg\.roles\b", "", text)
        for pattern, what in HAND_WRITTEN_RULES:
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not found, "name the rule in tenants/access.py instead:\n" + "\n".join(found)


def test_the_grep_catches_what_it_is_meant_to_catch():
    bad = ['EDITORS = (Role.HEAD, Role.CURATOR)', '@allow(Role.COORDINATOR)', 'if g.roles & {Role.HEAD}:',
           "{% if 'mentor' in current_roles %}", 'nav_item("x", "y", "z", (Role.HEAD,))', "if roles & WRITERS:",
           "Role.HEAD in g_roles"]
    for line in bad:
        assert any(p.search(line) for p, _ in HAND_WRITTEN_RULES), line
    for line in ["grant_role(user, Role.ADMIN)", "@allow(EDIT_MENTORING)", "{% if can('edit_mentoring') %}",
                 "if EDIT_MENTORING.admits(roles):", "current_roles()"]:
        assert not any(p.search(line) for p, _ in HAND_WRITTEN_RULES), line


def test_allow_takes_a_named_rule_only():
    with pytest.raises(TypeError):
        allow(Role.HEAD)
    with pytest.raises(TypeError):
        allow(frozenset({Role.HEAD}))


def test_every_declared_rule_is_a_named_rule(app):
    names = {getattr(view, "rule_name", None) for ep, view in app.view_functions.items() if ep != "static"}
    assert names <= set(RULES), names - set(RULES)


def test_templates_ask_the_named_rules(app):
    with app.test_request_context():
        from flask import g, render_template_string

        g.roles = {Role.CURATOR}
        assert render_template_string("{{ can('edit_mentoring') }} {{ can('erase_personal_data') }}") == "True False"
        assert can(EDIT_MENTORING) and not can("run_contests")


def test_get_or_404_answers_another_institutions_row_as_missing(app):
    from portal.staff.models import Staff
    from tenants.queries import get_or_404

    a, b = make_institution(), make_institution()
    mine, theirs = make_staff(a), make_staff(b)
    db.session.remove()
    with institution_scope(a.id):
        assert get_or_404(Staff, mine.id).id == mine.id
        assert get_or_404(Staff, str(mine.id)).id == mine.id
        for missing in (theirs.id, 10 ** 6, "x", None):
            with pytest.raises(NotFound):
                get_or_404(Staff, missing)


def test_get_or_404_refuses_a_child_under_the_wrong_parent(app):
    from portal.programs.models import PlanItem
    from tenants.queries import get_or_404
    from tests.factories import make_group, make_plan_item, make_program

    inst = make_institution()
    group = make_group(inst)
    first, second = make_program(group), make_program(make_group(inst))
    item = make_plan_item(first)
    with institution_scope(inst.id):
        assert get_or_404(PlanItem, item.id, program_id=first.id).id == item.id
        with pytest.raises(NotFound, match="не найден"):
            get_or_404(PlanItem, item.id, "Мероприятие не найдено.", program_id=second.id)


def test_institutions_of_a_city_only(app):
    from tenants.queries import institution_ids_of, institutions_of

    city, other = make_municipality(), make_municipality()
    a, b = make_institution(city, short_name="Б"), make_institution(city, short_name="А")
    make_institution(other)
    assert [i.id for i in institutions_of(city)] == [b.id, a.id]
    assert institution_ids_of([city.id]) == {a.id, b.id}


def test_city_pages_are_audited_once_per_person_city_and_day(app, client, login):
    from portal.audit.models import AuditEvent

    city = make_municipality()
    make_institution(city)
    coordinator = make_user((Role.COORDINATOR, city))
    login(coordinator)
    for path in ("/", "/roadmap", "/indicators", "/"):
        assert client.get(f"/m/{city.slug}{path}").status_code == 200
    events = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "cross_tenant")).scalars().all()
    assert [(e.actor_id, e.municipality_id, e.detail) for e in events] == [(coordinator.id, city.id, "city area")]
