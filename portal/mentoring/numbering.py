"""Pairs and groups are numbered within their institution and academic year (№ 1, 2, … of the year), the number
kept on the row: a new pair takes the next number of its year, and a pair moved to another year (its order's year)
takes the next number there. One `before_flush` hook does it for every way a pair is made (the form, the import,
a replacement, the demo, the tests' factories), after the tenant hook has stamped the institution.

Two curators adding pairs at once would both read the same highest number: on PostgreSQL the hook first takes a
transaction-scoped advisory lock on the institution's year, so the second waits for the first to commit and reads
its number; the unique constraint (institution, year, number) stands behind it on every database."""
from __future__ import annotations

from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.orm import Session

from portal.mentoring.models import MentoringGroup


def _renumbered(group: MentoringGroup, is_new: bool) -> bool:
    if is_new:
        return group.number is None
    history = inspect(group).attrs.academic_year.history
    return bool(history.deleted) and history.deleted[0] != group.academic_year


def _number_groups(session: Session, flush_context, instances) -> None:
    todo = [g for g in session.new if isinstance(g, MentoringGroup) and _renumbered(g, True)]
    todo += [g for g in session.dirty if isinstance(g, MentoringGroup) and _renumbered(g, False)]
    if not todo:
        return
    taken: dict[tuple[int, str], int] = {}
    with session.no_autoflush:
        for group in sorted(todo, key=lambda g: (g.start_date, id(g))):
            key = (group.institution_id, group.academic_year)
            if key not in taken:
                _lock_year(session, *key)
                taken[key] = session.execute(select(func.coalesce(func.max(MentoringGroup.number), 0)).where(
                    MentoringGroup.institution_id == key[0], MentoringGroup.academic_year == key[1])).scalar_one()
            taken[key] += 1
            group.number = taken[key]


def _lock_year(session: Session, institution_id: int, academic_year: str) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                        {"key": f"mentoring_group.number:{institution_id}:{academic_year}"})


def init() -> None:
    if not event.contains(Session, "before_flush", _number_groups):
        event.listen(Session, "before_flush", _number_groups)
