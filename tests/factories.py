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


def make_municipality(name: str = "", slug: str = "") -> Municipality:
    n = next(_seq)
    with platform_scope("test factory"):
        m = Municipality(name=name or f"г. Тестовск-{n}", slug=slug or f"city{n}")
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
