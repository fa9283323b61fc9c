"""The academic year as a lifecycle of mentoring: what belongs to a year (the pairs it started or was carried into,
its programs, its orders), which year a list shows, and «Закрыть учебный год»: the pairs and programs that go on are
carried into the next year with their own dates, completed ones stay in the old year, and the next year's order
approving the list is drafted from what was carried over. The calendar itself is portal/years/services.py."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import joinedload, selectinload

from portal import clock
from portal.audit.services import record
from portal.exceptions import Invalid
from portal.extensions import db
from portal.formatting import ru_date
from portal.mentoring.models import GroupMember, MentoringGroup, Order
from portal.mentoring.order_drafting import draft_for_groups
from portal.mentoring.states import GroupState, OrderKind, ProgramState
from portal.years.models import AcademicYear, GroupYear
from portal.years.services import bounds, check_year, closed_row, is_closed, next_year, year_of

LIVE_GROUPS = (GroupState.PROPOSED, GroupState.APPROVED, GroupState.ACTIVE)
LIVE_PROGRAMS = (ProgramState.DRAFT, ProgramState.APPROVED, ProgramState.ACTIVE)
CLOSING_FROM = (5, 1)  # a year may be closed from 1 May on (the annual report is due by 15 May)


# --- what belongs to a year ---------------------------------------------------------------------------------------

def group_in(year: str):
    """A pair belongs to the year it started in and to every year it was carried into."""
    carried = db.select(GroupYear.group_id).where(GroupYear.year == year)
    return (MentoringGroup.academic_year == year) | MentoringGroup.id.in_(carried)


def with_people(members_path):
    """A loader path ending at MentoringGroup.members, with each member's person (a staff record or someone from
    outside the institution) joined in: what every list of pairs writes."""
    return members_path.options(joinedload(GroupMember.staff_record), joinedload(GroupMember.external))


# What a list of pairs shows of each: the members, their staff, the forms — loaded with the list.
def group_list_load() -> tuple:
    return (with_people(selectinload(MentoringGroup.members)), joinedload(MentoringGroup.form),
            selectinload(MentoringGroup.extra_forms))


def groups_in(year: str, states=None) -> list[MentoringGroup]:
    stmt = db.select(MentoringGroup).where(group_in(year)).order_by(MentoringGroup.academic_year, MentoringGroup.number,
                                                                  MentoringGroup.id).options(*group_list_load())
    if states:
        stmt = stmt.where(MentoringGroup.state.in_(list(states)))
    return list(db.session.execute(stmt).scalars())


def orders_in(year: str) -> list[Order]:
    return list(db.session.execute(db.select(Order).where(Order.academic_year == year)
                                   .options(selectinload(Order.acknowledgements))
                                   .order_by(Order.issued_on.desc(), Order.id.desc())).scalars())


def _years_in_use() -> tuple[set[str], set[str], set[str]]:
    """(years with pairs or orders, years on record, closed years) in one statement: a UNION of the four."""
    rows = db.session.execute(db.union(
        db.select(MentoringGroup.academic_year, db.literal("data")),
        db.select(GroupYear.year, db.literal("data")),
        db.select(Order.academic_year, db.literal("data")),
        db.select(AcademicYear.year, db.case((AcademicYear.closed_at.is_not(None), "closed"), else_="open")))).all()
    with_data = {y for y, kind in rows if y and kind == "data"}
    return with_data, {y for y, kind in rows if y and kind != "data"}, {y for y, kind in rows if y and kind == "closed"}


def years_with_data(today: date | None = None) -> list[str]:
    """Every year something belongs to, and the current one, newest first: the year selector's options."""
    today = today or date.today()
    with_data, on_record, _ = _years_in_use()
    return sorted({year_of(today)} | with_data | on_record, reverse=True)


def current_year(today: date | None = None) -> str:
    """The latest open year that has pairs or orders, else the year of today."""
    today = today or date.today()
    with_data, _, closed = _years_in_use()
    open_years = sorted(y for y in with_data - closed if y)
    return open_years[-1] if open_years else year_of(today)


def selected_year(raw: str | None, today: date | None = None) -> str:
    """The year a per-year list shows: the one asked for (a bad one is a 422), else the current one."""
    return check_year(raw) if raw else current_year(today)


# The programs of a year are portal.programs' (which reads this module's calendar, so it sits above it); its
# register(app) installs `programs_in` here, as create_app installs tenants' audit hook.
def _no_programs_source(year: str) -> list:
    raise RuntimeError("closing a year needs the programs of the year: portal.programs installs its source")


_programs_of_year: list[Callable[[str], list]] = [_no_programs_source]


def set_programs_source(source: Callable[[str], list]) -> None:
    """`source(year)` → the programs that belong to the year (each with .state and .group_id)."""
    _programs_of_year[0] = source


# --- closing --------------------------------------------------------------------------------------------------------

def close_preview(year: str) -> dict:
    groups = groups_in(year)
    nxt = next_year(year)
    carry = [g for g in groups if g.state in LIVE_GROUPS]
    carry_ids = {g.id for g in carry}
    programs = _programs_of_year[0](year)
    return {"year": year, "next": nxt, "carry_groups": carry,
            "leave_groups": [g for g in groups if g.state not in LIVE_GROUPS],
            "carry_programs": [p for p in programs if p.state in LIVE_PROGRAMS and p.group_id in carry_ids],
            "leave_programs": [p for p in programs if p.state not in LIVE_PROGRAMS],
            "closed": is_closed(year), "next_closed": is_closed(nxt)}


def close_year(institution, year: str, actor_id: int | None, today: date | None = None) -> AcademicYear:
    """Close the year: carry what goes on, keep what ended, draft the next year's order (kind «О закреплении
    наставнических пар (групп)» with the list of the carried pairs). Nothing changes dates or states."""
    today = today or date.today()
    year = check_year(year)
    start, end = bounds(year)
    allowed_from = date(end.year, *CLOSING_FROM)
    if today < allowed_from:
        raise Invalid("year", f"Учебный год {year} можно закрыть не раньше {ru_date(allowed_from)}.")
    if is_closed(year):
        raise Invalid("year", f"Учебный год {year} уже закрыт.")
    preview = close_preview(year)
    if preview["next_closed"]:
        raise Invalid("year", f"Следующий учебный год {preview['next']} уже закрыт.")
    nxt = preview["next"]
    already = set(db.session.execute(db.select(GroupYear.group_id).where(GroupYear.year == nxt)).scalars())
    for g in preview["carry_groups"]:
        if g.id not in already and g.academic_year != nxt:
            db.session.add(GroupYear(group_id=g.id, year=nxt))
    row = closed_row(year) or AcademicYear(year=year)
    row.closed_at, row.closed_by_id = clock.now(), actor_id
    row.carried_groups, row.carried_programs = len(preview["carry_groups"]), len(preview["carry_programs"])
    db.session.add(row)
    db.session.flush()
    if preview["carry_groups"]:
        next_start = bounds(nxt)[0]
        order = draft_for_groups(OrderKind.PAIRS, institution, sorted(preview["carry_groups"], key=lambda g: g.id),
                                 number=f"проект-{nxt}", issued_on=next_start, commit=False)
        row.next_order_id = order.id

    record("close", "academic_year", row.id, institution_id=institution.id, actor_id=actor_id,
           detail=f"закрыт {year} учебный год: перенесено пар {row.carried_groups}, программ {row.carried_programs}")
    db.session.commit()
    return row
