"""Navigation by role. Features add their entries with `nav_item(...)` when they register; the menu shows what
the current user may open in the current context: an entry is shown to whoever the endpoint's own rule admits,
or, where the menu should be narrower than the page, to whoever `shown_to` admits."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g, url_for
from flask_login import current_user

from tenants.access import Rule, view_admits


@dataclass(frozen=True)
class NavItem:
    area: str          # "institution", "municipality" or "platform"
    label: str
    endpoint: str
    order: int = 100
    shown_to: Rule | None = None


_ITEMS: list[NavItem] = []


def nav_item(area: str, label: str, endpoint: str, order: int = 100, shown_to: Rule | None = None) -> None:
    item = NavItem(area, label, endpoint, order, shown_to)
    if item not in _ITEMS:
        _ITEMS.append(item)


def navigation() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    roles = g.get("roles", set())
    if g.get("institution") is not None:
        area = "institution"
    elif g.get("municipality") is not None:
        area = "municipality"
    elif g.get("region") is not None:
        area = "region"
    else:
        area = "platform"
    links = []
    for item in sorted(_ITEMS, key=lambda i: i.order):
        if item.area == area and _shown(item, roles):
            links.append({"label": item.label, "url": url_for(item.endpoint), "endpoint": item.endpoint})
    return links


def _shown(item: NavItem, roles) -> bool:
    if item.shown_to is not None:
        return item.shown_to.admits(roles)
    return view_admits(current_app.view_functions[item.endpoint], roles)
