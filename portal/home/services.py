"""What a user can open: their institutions and municipalities."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for



@dataclass
class Place:
    label: str
    roles: list[str]
    url: str


def places_of(user) -> list[Place]:
    places: dict[str, Place] = {}
    for b in sorted(user.bindings, key=lambda b: (b.role.level, b.id)):
        if b.institution is not None:
            key, label, url = f"i{b.institution_id}", b.institution.short_name, url_for("institution.home", inst_slug=b.institution.slug)
        elif b.municipality is not None:
            key, label, url = f"m{b.municipality_id}", b.municipality.name, url_for("city.home", muni_slug=b.municipality.slug)
        elif b.region is not None:
            # The regional institute lands on the region's merged registry.
            key, label, url = f"r{b.region_id}", b.region.name, url_for("region.registry_page", region_slug=b.region.slug)
        else:
            key, label, url = "platform", "Администрирование платформы", url_for("admin.institutions")
        place = places.setdefault(key, Place(label, [], url))
        place.roles.append(b.role.label)
    return list(places.values())


def municipality_summary(municipality) -> list[dict]:
    return [{"institution": i} for i in municipality.institutions]

