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


def _entry(city):
    from datetime import datetime

    from portal.contests.models import Entry, Nomination
    from tests.factories import make_institution

    inst = make_institution(city)
    contest_id = _contest(city)
    with platform_scope("test maker"):
        nomination = Nomination(municipality_id=city.id, contest_id=contest_id, title="Педагог — педагогу")
        db.session.add(nomination)
        db.session.flush()
        row = Entry(institution_id=inst.id, contest_id=contest_id, nomination_id=nomination.id, title="Практика",
                    description="Тандем", submitted_at=datetime(2026, 1, 15))
        db.session.add(row)
        db.session.commit()
        return row.id


def _practice(city):
    from portal.public.models import BestPractice

    with platform_scope("test maker"):
        row = BestPractice(municipality_id=city.id, title="Тандем", summary="Кейс", source="proposal")
        db.session.add(row)
        db.session.commit()
        return row.id


CITY_MAKERS = {"contest_id": _contest, "entry_id": _entry, "practice_id": _practice}
