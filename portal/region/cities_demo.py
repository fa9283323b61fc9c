"""Two more cities of ХМАО – Югра for the demo (called by portal/demo.py after г. Покачи): a few institutions each
with invented staff, a coordinator, mentors and pairs; then every city's indicators for a year of quarters and the
region's merged registry, so the coordinator's and the regional institute's screens show more than one city.
Not a feature demo (not named demo.py: its `load` takes the region). Idempotent; invented names only."""
from __future__ import annotations

import random
from datetime import date

from flask import current_app

from portal.accounts.models import User
from portal.accounts.passwords import hash_password
from portal.accounts.services import find_user_by_email, grant_role
from portal.extensions import db
from portal.mentoring import demo as mentoring_demo
from portal.periods import current_quarter
from portal.region.models import RegionRegistryExport
from portal.region.registry import request_export
from portal.roadmap.indicators import previous_quarter
from portal.roadmap.models import Snapshot
from portal.staff.models import Staff
from portal.staff_demo import add_staff
from tasks.aggregation import run_inline
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tenants.models import Institution, InstitutionKind, Municipality

CITIES = [
    ("langepas", "г. Лангепас", [
        ("lg-rodnichok", InstitutionKind.DOU, "МАДОУ «Родничок»",
         "Муниципальное автономное дошкольное образовательное учреждение «Детский сад «Родничок»"),
        ("lg-sosh3", InstitutionKind.SCHOOL, "МАОУ СОШ № 3 г. Лангепаса",
         "Муниципальное автономное общеобразовательное учреждение «Средняя общеобразовательная школа № 3»"),
    ]),
    ("megion", "г. Мегион", [
        ("mg-zolotaya-rybka", InstitutionKind.DOU, "МАДОУ «Золотая рыбка»",
         "Муниципальное автономное дошкольное образовательное учреждение «Детский сад «Золотая рыбка»"),
        ("mg-sosh6", InstitutionKind.SCHOOL, "МАОУ СОШ № 6 г. Мегиона",
         "Муниципальное автономное общеобразовательное учреждение «Средняя общеобразовательная школа № 6»"),
        ("mg-gimnaziya", InstitutionKind.SCHOOL, "МАОУ «Гимназия»",
         "Муниципальное автономное общеобразовательное учреждение «Гимназия»"),
    ]),
]
ACCOUNTS = [
    ("coordinator.langepas@demo.nastavnik", "Гусева Ирина Павловна", Role.COORDINATOR, "langepas"),
    ("coordinator.megion@demo.nastavnik", "Тарасова Елена Юрьевна", Role.COORDINATOR, "megion"),
]


def load(region_id: int, password: str, created_accounts: list[str]) -> list[str]:
    rng = random.Random(20261201)
    made: dict[str, tuple[Municipality, dict[str, Institution]]] = {}
    with platform_scope("demo data: the region's cities"):
        for slug, name, institutions in CITIES:
            city = db.session.execute(db.select(Municipality).where(Municipality.slug == slug)).scalar_one_or_none()
            if city is None:
                city = Municipality(slug=slug, name=name, region_id=region_id)
                db.session.add(city)
                db.session.flush()
            insts = {}
            for inst_slug, kind, short, full in institutions:
                inst = db.session.execute(db.select(Institution).where(Institution.slug == inst_slug)).scalar_one_or_none()
                if inst is None:
                    inst = Institution(municipality_id=city.id, slug=inst_slug, kind=kind, short_name=short,
                                       full_name=full, address=f"ХМАО — Югра, {name}")
                    db.session.add(inst)
                    db.session.flush()
                insts[inst_slug] = inst
            made[slug] = (city, insts)
        db.session.commit()
    for _city, insts in made.values():
        for inst in insts.values():
            with institution_scope(inst.id):
                if db.session.execute(db.select(db.func.count(Staff.id))).scalar_one() == 0:
                    add_staff(inst, rng, 16)
                db.session.commit()
    _accounts(made, password, created_accounts)

    for city, insts in made.values():
        mentoring_demo.load(city, insts)   # pairs, an issued order, programs, meetings (idempotent)
        db.session.commit()
        _indicators(city)
    _region_registry(region_id)
    return [city.name for city, _ in made.values()]


def _accounts(made, password: str, created_accounts: list[str]) -> None:
    with platform_scope("demo accounts: the region's cities"):
        for email, name, role, city_slug in ACCOUNTS:
            user = find_user_by_email(email)
            if user is None:
                user = User(email=email, full_name=name, password_hash=hash_password(password))
                db.session.add(user)
                db.session.flush()
                created_accounts.append(email)
            if not any(b.role is role for b in user.bindings):
                grant_role(user, role, municipality=made[city_slug][0])
        db.session.commit()


def _indicators(city) -> None:
    period = previous_quarter(date.today())
    with platform_scope("demo: indicators present?"):
        present = db.session.execute(db.select(Snapshot.id).join(Institution, Institution.id == Snapshot.institution_id)
                                     .where(Institution.municipality_id == city.id, Snapshot.period == period)).first()
    if present:
        return

    run_inline(current_quarter(date.today()), city.id)   # the indicators open on the quarter in progress
    for _ in range(4):
        run_inline(period, city.id)
        period = previous_quarter(date(int(period[:4]), 3 * int(period[-1]) - 2, 1))


def _region_registry(region_id: int) -> None:
    """A fresh demo has the region's merged registry (in-process without Redis; queued with it)."""
    with platform_scope("demo: the region's registry"), current_app.test_request_context("/"):
        if db.session.execute(db.select(RegionRegistryExport.id).where(
                RegionRegistryExport.region_id == region_id)).first() is None:
            request_export(region_id, None, reason="демо-данные")
            db.session.commit()
