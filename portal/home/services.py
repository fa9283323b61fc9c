"""What a user can open: their institutions and municipalities."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from portal.navigation import city_desk_endpoint


@dataclass
class Place:
    label: str
    roles: list[str]
    url: str


def places_of(user) -> list[Place]:
    """Each institution, city and the platform the user holds a role in, with the page to start from there:
    their own desk for the roles they hold in that place (a juror's contests, the regional institute's
    registry), never a page those roles may not open."""
    places: dict[str, Place] = {}
    city_roles: dict[str, tuple[object, set]] = {}
    for b in sorted(user.bindings, key=lambda b: (b.role.level, b.id)):
        if b.institution is not None:
            key, label, url = f"i{b.institution_id}", b.institution.short_name, url_for("institution.home", inst_slug=b.institution.slug)
        elif b.municipality is not None:
            key, label, url = f"m{b.municipality_id}", b.municipality.name, ""
            city_roles.setdefault(key, (b.municipality, set()))[1].add(b.role)
        elif b.region is not None:
            # The regional institute lands on the region's merged registry.
            key, label, url = f"r{b.region_id}", b.region.name, url_for("region.registry_page", region_slug=b.region.slug)
        else:
            key, label, url = "platform", "Администрирование платформы", url_for("admin.institutions")
        place = places.setdefault(key, Place(label, [], url))
        place.roles.append(b.role.label)
    for key, (municipality, roles) in city_roles.items():
        endpoint = city_desk_endpoint(roles)
        if endpoint is None:
            del places[key]
        else:
            places[key].url = url_for(endpoint, muni_slug=municipality.slug)
    return list(places.values())


def municipality_summary(municipality) -> list[dict]:
    return [{"institution": i} for i in municipality.institutions]

