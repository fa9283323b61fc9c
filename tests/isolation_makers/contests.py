"""Isolation makers for contests (city rows)."""
from __future__ import annotations

from datetime import date

from portal.extensions import db
from tenants.context import platform_scope


def _contest(city):
    from portal.contests.models import Contest

    with platform_scope("test maker"):
        row = Contest(municipality_id=city.id, title="Лучшие практики", year=2026, entries_from=date(2026, 1, 1),
                      entries_until=date(2026, 2, 1), judging_until=date(2026, 3, 1), results_on=date(2026, 3, 10))
        db.session.add(row)
        db.session.commit()
        return row.id


CITY_MAKERS = {"contest_id": _contest}
