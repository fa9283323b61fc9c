"""A world that grows for the query budget tests: an institution whose pages are measured at two sizes.

`grow(world, n)` adds n more pairs (mentor, mentee, program with plan items, meetings), puts them into the pairs
order, and adds a second institution of the city with the same; the pages must send the same number of
statements before and after.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from portal.extensions import db
from tenants.access import Role
from tenants.context import across_institutions, platform_scope
from tests.factories import make_group, make_institution, make_municipality, make_plan_item, make_program, make_staff, \
    make_user


@dataclass
class BudgetWorld:
    city: object
    inst: object
    curator: object
    coordinator: object
    order_id: int
    roadmap_id: int
    staff_id: int = 0
    program_id: int = 0
    group_id: int = 0
    others: list = field(default_factory=list)


def make_budget_world(year: int) -> BudgetWorld:
    from portal.mentoring.models import Order, OrderItem
    from portal.mentoring.states import OrderKind
    from portal.roadmap import services as roadmap

    city = make_municipality()
    inst = make_institution(city)
    with platform_scope("budget world"):
        order = Order(institution_id=inst.id, kind=OrderKind.PAIRS, number="1-О", issued_on=date(year, 9, 1),
                      title="О наставничестве", academic_year=f"{year}-{year + 1}",
                      items=[OrderItem(institution_id=inst.id, position=1, text="Утвердить список пар.")])
        db.session.add(order)
        db.session.commit()
    with across_institutions(municipality_ids={city.id}, reason="test"):
        row = roadmap.from_template(city.id)
        db.session.commit()
    w = BudgetWorld(city=city, inst=inst, curator=make_user((Role.CURATOR, inst)),
                    coordinator=make_user((Role.COORDINATOR, city)), order_id=order.id, roadmap_id=row.id)
    grow(w, 2, year)
    return w


def grow(w: BudgetWorld, n: int, year: int) -> None:
    """n more pairs in the institution (in the order, with programs, plan items and meetings), one more
    institution in the city with a pair, and the roadmap's tasks for the year regenerated for all of them."""
    from portal.mentoring.models import Meeting, OrderGroup
    from portal.mentoring.states import GroupFormat
    from portal.roadmap import services as roadmap
    from portal.roadmap.models import Roadmap

    start = date(year, 9, 1)
    for k in range(n):
        # The first pair of each batch is a group: one mentor over two mentees (merged cells in the order's list).
        mentees = [make_staff(w.inst, pedagogical_start=date(year - 1, 9, 1)) for _ in range(2)] if k == 0 else None
        group = make_group(w.inst, start=start, mentees=mentees)
        program = make_program(group, start=start)
        for k in range(3):
            make_plan_item(program, due=start + timedelta(days=14 * k))
        with platform_scope("budget world"):
            db.session.add(OrderGroup(institution_id=w.inst.id, order_id=w.order_id, group_id=group.id))
            db.session.add(Meeting(institution_id=w.inst.id, group_id=group.id, held_on=start + timedelta(days=7),
                                   duration_minutes=45, format=GroupFormat.IN_PERSON, topic="Встреча"))
            db.session.commit()
        w.staff_id, w.program_id, w.group_id = w.staff_id or group.members[0].staff_id, w.program_id or program.id, \
            w.group_id or group.id
        make_staff(w.inst)
    other = make_institution(w.city)
    make_program(make_group(other, start=start), start=start)
    w.others.append(other)
    with across_institutions(municipality_ids={w.city.id}, reason="test"):
        roadmap.generate_tasks(db.session.get(Roadmap, w.roadmap_id), year)
        db.session.commit()
