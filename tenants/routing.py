"""Resolving the tenant from the URL and enforcing every view's access rule, in one place.

Institution pages live under `/i/<inst_slug>/…`, city pages under `/m/<muni_slug>/…`, region pages under
`/r/<region_slug>/…`. Blueprints made by `institution_blueprint()` / `municipality_blueprint()` /
`region_blueprint()` never see the slug: it is consumed here and put back
into `url_for` automatically. A user with no role in the URL's institution gets 404, as if it did not exist.
"""
from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, g, request
from flask_login import current_user
from sqlalchemy.orm import joinedload

from portal.extensions import db
from tenants.access import READ_ONLY_ROLES, Role, access_rule, is_for_everyone_signed_in, is_public
from tenants.context import Scope, city_scope, read_only, record_crossing, region_scope, reset_scope, set_scope
from tenants.models import Institution, Municipality, Region
from tenants.queries import one_or_404
from tenants.rls import rollback_if_aborted


def institution_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    bp = Blueprint(name, import_name, url_prefix="/i/<inst_slug>" + url_prefix)
    bp.url_value_preprocessor(_pop_slug("inst_slug"))
    bp.url_defaults(_add_slug("inst_slug"))
    return bp


def municipality_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    bp = Blueprint(name, import_name, url_prefix="/m/<muni_slug>" + url_prefix)
    bp.url_value_preprocessor(_pop_slug("muni_slug"))
    bp.url_defaults(_add_slug("muni_slug"))
    return bp


def region_blueprint(name: str, import_name: str, url_prefix: str = "") -> Blueprint:
    bp = Blueprint(name, import_name, url_prefix="/r/<region_slug>" + url_prefix)
    bp.url_value_preprocessor(_pop_slug("region_slug"))
    bp.url_defaults(_add_slug("region_slug"))
    return bp


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _pop_slug(key):
    # Runs before before_request: the slug moves from the view's arguments into g for the guard.
    def pop(endpoint, values):
        if values and key in values:
            g.setdefault("slug_args", {})[key] = values.pop(key)
    return pop


def _add_slug(key):
    def add(endpoint, values):
        if key in values:
            return
        current = g.get("url_slugs", {}).get(key)
        if current and current_app.url_map.is_endpoint_expecting(endpoint, key):
            values[key] = current
    return add


def roles_in_institution(user, institution: Institution) -> set[Role]:
    roles: set[Role] = set()
    for b in user.bindings:
        if b.institution_id == institution.id:
            roles.add(b.role)
        elif b.municipality_id == institution.municipality_id and b.role.level == "municipality":
            roles.add(b.role)
        elif b.role.level == "platform":
            roles.add(b.role)
        elif _in_region(b, institution.municipality):
            roles.add(b.role)
    return roles


def _in_region(binding, municipality: Municipality) -> bool:
    """A region's role covers every city of its region (and nothing of a city without a region)."""
    return binding.role.level == "region" and binding.region_id is not None \
        and binding.region_id == municipality.region_id


def roles_in_municipality(user, municipality: Municipality) -> set[Role]:
    return {b.role for b in user.bindings
            if (b.municipality_id == municipality.id and b.role.level == "municipality") or b.role.level == "platform"
            or _in_region(b, municipality)}


def roles_in_region(user, region: Region) -> set[Role]:
    return {b.role for b in user.bindings
            if (b.role.level == "region" and b.region_id == region.id) or b.role.level == "platform"}


def platform_roles(user) -> set[Role]:
    return {b.role for b in user.bindings if b.role.level == "platform"}


def _resolve_tenant() -> tuple[str | None, Scope | None]:
    args = {**(request.view_args or {}), **g.get("slug_args", {})}
    g.url_slugs = {}
    if "inst_slug" in args:
        # The institution and its municipality in one statement: every institution page needs both.
        inst = one_or_404(Institution, "Страница не найдена.", options=(joinedload(Institution.municipality),),
                          slug=args["inst_slug"])
        g.institution, g.municipality = inst, inst.municipality
        g.url_slugs["inst_slug"] = inst.slug
        return "institution", Scope(frozenset({inst.id}), frozenset({inst.municipality_id}))
    if "muni_slug" in args:
        muni = one_or_404(Municipality, "Страница не найдена.", slug=args["muni_slug"])
        g.municipality = muni
        g.url_slugs["muni_slug"] = muni.slug
        return "municipality", city_scope(muni.id)
    if "region_slug" in args:
        region = one_or_404(Region, "Страница не найдена.", slug=args["region_slug"])
        g.region = region
        g.url_slugs["region_slug"] = region.slug
        return "region", region_scope(region.id)
    return None, None


def guard_request():
    """before_request: deny by default, resolve the tenant, check the role, enter the scope."""
    g.roles = set()
    if request.endpoint is None or request.endpoint == "static":
        return None
    rule = access_rule(current_app.view_functions[request.endpoint])
    if rule is None:
        abort(403)  # deny by default: a view that declared nobody admits nobody
    level, scope = _resolve_tenant()
    if is_public(rule):
        _enter(scope)
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if level == "institution":
        g.roles = roles_in_institution(current_user, g.institution)
        if not g.roles:
            abort(404)
    elif level == "municipality":
        g.roles = roles_in_municipality(current_user, g.municipality)
        if not g.roles:
            abort(404)
    elif level == "region":
        g.roles = roles_in_region(current_user, g.region)
        if not g.roles:
            abort(404)
    else:
        g.roles = platform_roles(current_user)
    if not is_for_everyone_signed_in(rule) and not (g.roles & rule):
        abort(403)
    if level is not None and g.roles <= READ_ONLY_ROLES:
        # The region's account reads: every unsafe method is refused, whatever the view's rule, and what it reads
        # runs under a scope that refuses any tenant write.
        if request.method not in SAFE_METHODS:
            abort(403)
        scope = read_only(scope)
    _enter(scope)
    if level in ("municipality", "region"):
        # The city and region pages read across institutions: audited, once per person, tenant set and day.
        record_crossing(actor_id=current_user.id, municipality_ids=scope.municipality_ids, reason=scope.reason,
                        once_a_day=True)
    return None


def _enter(scope: Scope | None) -> None:
    if scope is not None:
        g.scope_token = set_scope(scope)


def leave_request(exc=None):
    # An aborted transaction is rolled back before the scope is reset: nothing may run on it any more.
    rollback_if_aborted(db.session(), force=exc is not None)
    token = g.pop("scope_token", None)
    if token is not None:
        reset_scope(token)


def _reset_request_state(endpoint, values) -> None:
    # App-level preprocessors run before the blueprints' ones: start every request with no tenant and no
    # cached user, even where an app context outlives one request (tests, CLI-driven requests).
    for key in list(g):
        g.pop(key, None)


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(_reset_request_state)
    app.before_request(guard_request)
    app.teardown_request(leave_request)
