"""JSON shapes of shared objects."""
from __future__ import annotations


def institution_json(i) -> dict:
    return {"id": i.id, "slug": i.slug, "full_name": i.full_name, "short_name": i.short_name, "kind": i.kind.value,
            "municipality": i.municipality.slug, "address": i.address, "site_url": i.site_url}
