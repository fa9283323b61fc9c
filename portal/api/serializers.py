"""JSON shapes of shared objects."""
from __future__ import annotations

from datetime import timezone


def institution_json(i) -> dict:
    return {"id": i.id, "slug": i.slug, "full_name": i.full_name, "short_name": i.short_name, "kind": i.kind.value,
            "municipality": i.municipality.slug, "address": i.address, "site_url": i.site_url}


def iso_day(day) -> str | None:
    return day.isoformat() if day else None


def stamp(moment) -> str | None:
    """A moment as RFC 3339 with its offset: stored datetimes are naive UTC, the API says so (…+00:00)."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()
