"""The region's target indicators (seed roadmap item 31, «мониторинг достижения целевых показателей»): the cities'
snapshots rolled up — one row per city (its institutions' snapshots summed as the city's report sums them) and the
region's total over every institution. Read under the region's scope: the snapshots of its cities only."""
from __future__ import annotations

from collections import defaultdict

from portal.extensions import db
from portal.roadmap.indicators import city_totals
from portal.roadmap.models import Snapshot
from tenants.context import current_scope
from tenants.models import Institution
from tenants.queries import institution_ids_of, municipalities_of_region


def rollup(period: str) -> dict:
    """{"cities": [(city, totals or None, institutions, reported)], "total": totals, "reported", "institutions"}."""
    scope = current_scope()
    by_city: dict[int, list[Snapshot]] = defaultdict(list)
    for snap, city_id in db.session.execute(
            db.select(Snapshot, Institution.municipality_id).join(Institution, Institution.id == Snapshot.institution_id)
            .where(Snapshot.period == period)).all():
        by_city[city_id].append(snap)
    cities, every = [], []
    for city in municipalities_of_region(scope.region_id):
        snaps = by_city.get(city.id, [])
        every += snaps
        count = len(institution_ids_of([city.id]))
        cities.append((city, city_totals(snaps) if snaps else None, count, len(snaps)))
    return {"cities": cities, "total": city_totals(every) if every else None, "reported": len(every),
            "institutions": sum(c[2] for c in cities)}
