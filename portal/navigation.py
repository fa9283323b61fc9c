"""Navigation by role. Features add their entries with `nav_item(...)` when they register; the menu shows what
the current user may open in the current context: an entry is shown to whoever the endpoint's own rule admits,
or, where the menu should be narrower than the page, to whoever `shown_to` admits.

Entries are grouped by task («Наставничество», «Люди», «Документы», …): the layout shows each group as a
section of the sidebar (a drawer on a phone). `desk_url()` is the page a user starts from in the current
context — their own desk, never a page their role may not open."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, url_for
from flask_login import current_user

from tenants.access import (
    ADMINISTER_CITY, ADMINISTER_PLATFORM, READ_REGION, READ_REGISTRY, SCORE_ENTRIES, VIEW_CITY, VIEW_INSTITUTION, Rule, view_admits,
)

class Group:
    """The groups of the menu, in the order shown. An entry names one; one that names none goes under «Ещё»."""
    MENTORING = "Наставничество"
    PEOPLE = "Люди"
    DOCUMENTS = "Документы"
    REPORTING = "Дорожная карта и отчёты"
    PUBLIC = "Конкурсы и публикации"
    CITY = "Город"
    REGION = "Регион"
    INSTITUTION = "Организация"
    PLATFORM = "Администрирование"
    PERSONAL = "Личное"
    OTHER = "Ещё"


GROUP_ORDER = [Group.MENTORING, Group.PEOPLE, Group.DOCUMENTS, Group.REPORTING, Group.PUBLIC, Group.CITY,
               Group.REGION, Group.INSTITUTION, Group.PLATFORM, Group.PERSONAL, Group.OTHER]


@dataclass(frozen=True)
class NavItem:
    area: str          # "institution", "municipality", "region" or "platform"
    label: str
    endpoint: str
    order: int = 100
    shown_to: Rule | None = None
    group: str = Group.OTHER


_ITEMS: list[NavItem] = []


def nav_item(area: str, label: str, endpoint: str, order: int = 100, shown_to: Rule | None = None,
             group: str = Group.OTHER) -> None:
    assert group in GROUP_ORDER, f"unknown menu group {group!r}"
    item = NavItem(area, label, endpoint, order, shown_to, group)
    if item not in _ITEMS:
        _ITEMS.append(item)


def _area() -> str:
    if g.get("institution") is not None:
        return "institution"
    if g.get("municipality") is not None:
        return "municipality"
    if g.get("region") is not None:
        return "region"
    return "platform"


def navigation() -> list[dict]:
    """The menu of the current context: [{"label": group, "items": [{"label", "url", "endpoint"}, …]}, …]."""
    if not current_user.is_authenticated:
        return []
    roles = g.get("roles", set())
    area = _area()
    groups: dict[str, list[dict]] = {}
    for item in sorted(_ITEMS, key=lambda i: i.order):
        if item.area == area and _shown(item, roles):
            groups.setdefault(item.group, []).append(
                {"label": item.label, "url": url_for(item.endpoint), "endpoint": item.endpoint})
    return [{"label": name, "items": groups[name]} for name in GROUP_ORDER if name in groups]


def _shown(item: NavItem, roles) -> bool:
    if item.shown_to is not None:
        return item.shown_to.admits(roles)
    return view_admits(current_app.view_functions[item.endpoint], roles)


def desk_url() -> str | None:
    """The current context's own front page for the current user, or None when there is none to offer."""
    if not current_user.is_authenticated:
        return None
    roles = g.get("roles", set())
    area = _area()
    if area == "institution":
        return url_for("institution.home") if VIEW_INSTITUTION.admits(roles) else None
    if area == "municipality":
        endpoint = city_desk_endpoint(roles)
        return url_for(endpoint) if endpoint else None
    if area == "region":
        return url_for("region.registry_page") if READ_REGION.admits(roles) else None
    return url_for("admin.institutions") if ADMINISTER_PLATFORM.admits(roles) else None


def city_desk_endpoint(roles) -> str | None:
    """Where a city-level role starts: the coordinator (and the admin) on the city's page, the regional
    institute on the registry of mentors, a juror on the contests to score."""
    if ADMINISTER_CITY.admits(roles):
        return "city.home"
    if READ_REGISTRY.admits(roles):
        return "registry.index"
    if SCORE_ENTRIES.admits(roles):
        return "jury.my_contests"
    return "city.home" if VIEW_CITY.admits(roles) else None
