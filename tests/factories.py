"""Factories: small functions that make one thing each, in the platform scope, and commit."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from portal.accounts.models import User
from portal.accounts.passwords import hash_password
from portal.accounts.services import grant_role
from portal.extensions import db
from portal.staff.dictionaries import Category
from portal.staff.models import Staff
from tenants.access import Role
from tenants.context import platform_scope
from tenants.models import Institution, InstitutionKind, Municipality

PASSWORD = "correct-horse-42"
_seq = itertools.count(1)


def make_region(name: str = "", slug: str = ""):
    from tenants.models import Region

    n = next(_seq)
    with platform_scope("test factory"):
        r = Region(name=name or f"Тестовый край {n}", slug=slug or f"region{n}")
        db.session.add(r)
        db.session.commit()
    return r


def make_municipality(name: str = "", slug: str = "", region=None) -> Municipality:
    """A city; of its own new region unless one is given (so that region accounts of two test cities differ)."""
    region = region or make_region()
    n = next(_seq)
    with platform_scope("test factory"):
        m = Municipality(name=name or f"г. Тестовск-{n}", slug=slug or f"city{n}", region_id=region.id)
        db.session.add(m)
        db.session.commit()
    return m


def make_institution(municipality: Municipality | None = None, kind: InstitutionKind = InstitutionKind.DOU,
                     short_name: str = "", slug: str = "") -> Institution:
    n = next(_seq)
    municipality = municipality or make_municipality()
    with platform_scope("test factory"):
        inst = Institution(municipality_id=municipality.id, kind=kind, slug=slug or f"inst{n}",
                           short_name=short_name or f"МАДОУ № {n}", full_name=f"Муниципальное учреждение № {n}")
        db.session.add(inst)
        db.session.commit()
    return inst


def make_user(*roles, email: str = "", name: str = "", password: str = PASSWORD) -> User:
    """make_user((Role.CURATOR, inst), (Role.COORDINATOR, muni), Role.ADMIN)"""
    n = next(_seq)
    with platform_scope("test factory"):
        user = User(email=email or f"user{n}@test.ru", full_name=name or f"Тестова Тамара {n}",
                    password_hash=hash_password(password))
        db.session.add(user)
        db.session.flush()
        for spec in roles:
            role, where = spec if isinstance(spec, tuple) else (spec, None)
            grant_role(user, role, institution=where if isinstance(where, Institution) else None,
                       municipality=where if isinstance(where, Municipality) else None)
        db.session.commit()
    return user


def make_staff(institution: Institution, **fields) -> Staff:
    n = next(_seq)
    values = dict(last_name=f"Иванова{n}", first_name="Мария", middle_name="Петровна", position="vospitatel",
                  category=Category.FIRST, pedagogical_start=date(2015, 9, 1), institution_start=date(2018, 9, 1),
                  work_email=f"staff{n}@test.ru")
    values.update(fields)
    with platform_scope("test factory"):
        staff = Staff(institution_id=institution.id, **values)
        db.session.add(staff)
        db.session.commit()
    return staff


@dataclass
class World:
    city: Municipality
    other_city: Municipality
    a: Institution
    b: Institution
    c: Institution
    curator_a: User
    curator_b: User
    coordinator: User
    other_coordinator: User


def make_world() -> World:
    city, other = make_municipality(), make_municipality()
    a, b, c = make_institution(city), make_institution(city), make_institution(other)
    return World(city, other, a, b, c,
                 curator_a=make_user((Role.CURATOR, a)), curator_b=make_user((Role.CURATOR, b)),
                 coordinator=make_user((Role.COORDINATOR, city)), other_coordinator=make_user((Role.COORDINATOR, other)))


# --- mentoring ------------------------------------------------------------------------------------------------

def make_group(institution: Institution, mentors=None, mentees=None, state=None, start=None, **fields):
    """A pair or group with the given staff (made if not given), in the given state (default active)."""
    from portal.mentoring.models import GroupMember, MentoringGroup
    from portal.mentoring.states import GroupState, MemberRole

    mentors = mentors if mentors is not None else [make_staff(institution, category=Category.HIGHEST)]
    mentees = mentees if mentees is not None else [make_staff(institution, pedagogical_start=date(2024, 9, 1))]
    start = start or date(2024, 9, 1)
    with platform_scope("test factory"):
        group = MentoringGroup(institution_id=institution.id, start_date=start,
                               academic_year=fields.pop("academic_year", "2024-2025"),
                               state=state or GroupState.ACTIVE, **fields)
        for s in mentors:
            group.members.append(GroupMember(institution_id=institution.id, staff_id=s.id, role=MemberRole.MENTOR,
                                             joined_at=start, consent_date=start))
        for s in mentees:
            group.members.append(GroupMember(institution_id=institution.id, staff_id=s.id, role=MemberRole.MENTEE,
                                             joined_at=start, consent_date=start))
        db.session.add(group)
        db.session.commit()
    return group


def make_program(group, mentee_staff=None, state=None, start=None, months: int = 9, **fields):
    from portal.programs.models import Program
    from portal.mentoring.states import ProgramState

    start = start or group.start_date
    end_month = start.month - 1 + months
    end = date(start.year + end_month // 12, end_month % 12 + 1, min(start.day, 28))
    mentee_id = mentee_staff.id if mentee_staff else group.mentees[0].staff_id
    with platform_scope("test factory"):
        fields.setdefault("title", "Программа адаптации молодого педагога")
        program = Program(institution_id=group.institution_id, group_id=group.id, mentee_staff_id=mentee_id,
                          goal="Адаптация", start_date=start, end_date=end, state=state or ProgramState.ACTIVE, **fields)
        db.session.add(program)
        db.session.commit()
    return program


def make_plan_item(program, due=None, status=None, **fields):
    from portal.programs.models import PlanItem
    from portal.mentoring.states import PlanItemStatus

    with platform_scope("test factory"):
        item = PlanItem(institution_id=program.institution_id, program_id=program.id,
                        content=fields.pop("content", "Консультация по планированию"),
                        due_date=due or program.start_date, status=status or PlanItemStatus.PLANNED, **fields)
        db.session.add(item)
        db.session.commit()
    return item


def order_items(institution: Institution, *texts: str) -> list:
    """Top-level items «1.», «2.» … of an order made by hand in a test."""
    from portal.mentoring.models import OrderItem

    return [OrderItem(institution_id=institution.id, position=n, text=t) for n, t in enumerate(texts, start=1)]
