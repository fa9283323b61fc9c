"""Navigation by role. Features add their entries with `nav_item(...)` at import; the menu shows what the
current user may open in the current context."""
from __future__ import annotations

from dataclasses import dataclass

from flask import g, url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    area: str          # "institution", "municipality" or "platform"
    label: str
    endpoint: str
    roles: frozenset
    order: int = 100


_ITEMS: list[NavItem] = []


def nav_item(area: str, label: str, endpoint: str, roles, order: int = 100) -> None:
    item = NavItem(area, label, endpoint, frozenset(roles), order)
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
    else:
        area = "platform"
    links = []
    for item in sorted(_ITEMS, key=lambda i: i.order):
        if item.area == area and roles & item.roles:
            links.append({"label": item.label, "url": url_for(item.endpoint), "endpoint": item.endpoint})
    return links
