"""The one way to load a tenant-owned row by id, and the institutions of a city.

Every lookup goes through the scoped session, so another tenant's row is simply not there: the caller gets the
same `NotFound` as for an id that never existed (flaskr's `get_post`, Redash's `get_by_id_and_org`).
"""
from __future__ import annotations

from typing import TypeVar

from sqlalchemy import any_, ARRAY, bindparam, Integer

from portal.exceptions import NotFound
from portal.extensions import db
from tenants.models import Institution, Municipality

M = TypeVar("M")


def get_or_404(model: type[M], row_id, message: str = "", *, options=(), **belongs_to) -> M:
    """The row of `model` with this id in the current scope, or `NotFound`.

    `belongs_to` names attributes the row must have (`get_or_404(PlanItem, item_id, program_id=row.id)`): a child
    looked up under the wrong parent in the URL is as absent as a missing one. `options` are loader options
    (`selectinload(...)`) for the relations the caller walks next, so a page does not load them row by row.
    """
    row = find(model, row_id, options=options)
    if row is None or any(getattr(row, name) != value for name, value in belongs_to.items()):
        raise NotFound(message or "Запись не найдена.")
    return row


def get_in_cities_or_404(model: type[M], row_id, municipality_ids, message: str = "", *, options=()) -> M:
    """A platform row that names its city (`municipality_id`: a job, a kept export) and is one of these cities'
    (the current scope's, as the caller says), or `NotFound`: such rows are not filtered by the scoped session, so a
    stranger's id must be refused here, with the same answer as a missing one."""
    row = find(model, row_id, options=options)
    if row is None or row.municipality_id not in municipality_ids:
        raise NotFound(message or "Запись не найдена.")
    return row


def one_or_404(model: type[M], message: str = "", *, options=(), **where) -> M:
    """The one row of `model` with these attributes (a slug, an owner) in the current scope, or `NotFound`;
    `options` are loader options (`joinedload(...)`) for what the caller reads next, in the same statement."""
    row = db.session.execute(db.select(model).filter_by(**where).options(*options).limit(2)).unique().scalars().all()
    if len(row) != 1:
        raise NotFound(message or "Запись не найдена.")
    return row[0]


def find(model: type[M], row_id, *, options=()) -> M | None:
    """The row or None; an id given as text from a form is accepted, anything that is not a number is None."""
    if isinstance(row_id, str):
        row_id = row_id.strip()
        if not row_id.isdigit():
            return None
    if row_id is None or isinstance(row_id, bool):
        return None
    try:
        return db.session.get(model, int(row_id), options=list(options) or None)
    except (TypeError, ValueError):
        return None


def municipality_by_slug(slug: str, message: str = "Страница не найдена.") -> Municipality:
    """The city named by the slug in a URL, or `NotFound`."""
    return one_or_404(Municipality, message, slug=slug)


def institution_by_slug(municipality, slug: str, message: str = "Страница не найдена.") -> Institution:
    """The institution of this city (a `Municipality` or its id) named by the slug in a URL, or `NotFound`: another
    city's institution with that slug is as absent as none."""
    return one_or_404(Institution, message, slug=slug, municipality_id=getattr(municipality, "id", municipality))


def institutions_of(municipality) -> list[Institution]:
    """The institutions of a city (a `Municipality` or its id), by short name."""
    municipality_id = getattr(municipality, "id", municipality)
    return list(db.session.execute(db.select(Institution).where(Institution.municipality_id == municipality_id)
                                   .order_by(Institution.short_name, Institution.id)).scalars())


def institution_ids_of(municipality_ids) -> frozenset[int]:
    """The ids of every institution of the given cities (for scopes and cross-tenant reads)."""
    ids = [getattr(m, "id", m) for m in municipality_ids]
    return frozenset(db.session.execute(db.select(Institution.id).where(Institution.municipality_id.in_(ids))).scalars())


def municipality_ids_of_region(region_id: int) -> frozenset[int]:
    """The ids of the cities of a region (region scopes, the region's registry and indicators)."""
    return frozenset(db.session.execute(db.select(Municipality.id).where(Municipality.region_id == region_id)).scalars())


def municipalities_of_region(region_id: int) -> list:
    """The cities of a region, by name."""
    return list(db.session.execute(db.select(Municipality).where(Municipality.region_id == region_id)
                                   .order_by(Municipality.name, Municipality.id)).scalars())


def member_of(column, ids, name: str = "ids"):
    """`column IN ids` as ONE array parameter on PostgreSQL (`= ANY(:name)`), a plain IN list elsewhere: a city's
    thousands of ids are not expanded into as many bound parameters (nor a new SQL text for every count)."""
    ids = sorted(ids)
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(name, ids, type_=ARRAY(Integer)))
    return column.in_(ids)
