"""Demo data: the region ХМАО – Югра with г. Покачи (six institutions, ~30 invented staff each, an account for every
role) and two more cities with a few institutions, mentors and pairs (portal/region/cities_demo.py).

Idempotent: running it again adds nothing. The people are invented; the seed's real names are never used.
"""
from __future__ import annotations

import importlib
import os
import random
import secrets
from datetime import date

import click

from portal.accounts.models import User
from portal.accounts.passwords import hash_password
from portal.accounts.services import find_user_by_email, grant_role
from portal.extensions import db
from portal.region import cities_demo as region_demo
from portal.staff_demo import add_staff
from portal.staff.dictionaries import Category
from portal.staff.models import Staff
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tenants.models import Institution, InstitutionKind, Municipality, Region

REGION = ("hmao", "Ханты-Мансийский автономный округ – Югра")

INSTITUTIONS = [
    ("yugorka", InstitutionKind.DOU, "МАДОУ ДСКВ «Югорка»",
     "Муниципальное автономное дошкольное образовательное учреждение детский сад комбинированного вида «Югорка»"),
    ("skazka", InstitutionKind.DOU, "МАДОУ ДСКВ «Сказка»",
     "Муниципальное автономное дошкольное образовательное учреждение детский сад комбинированного вида «Сказка»"),
    ("solnyshko", InstitutionKind.DOU, "МАДОУ ДСКВ «Солнышко»",
     "Муниципальное автономное дошкольное образовательное учреждение детский сад комбинированного вида «Солнышко»"),
    ("sosh1", InstitutionKind.SCHOOL, "МАОУ СОШ № 1",
     "Муниципальное автономное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»"),
    ("sosh2", InstitutionKind.SCHOOL, "МАОУ СОШ № 2",
     "Муниципальное автономное общеобразовательное учреждение «Средняя общеобразовательная школа № 2»"),
    ("sosh4", InstitutionKind.SCHOOL, "МАОУ СОШ № 4",
     "Муниципальное автономное общеобразовательное учреждение «Средняя общеобразовательная школа № 4»"),
]

DEMO_ACCOUNTS = [
    # email, full name, role, institution slug or None (municipality level) or "platform"
    ("admin@demo.nastavnik", "Администратор Платформы", Role.ADMIN, "platform"),
    ("coordinator@demo.nastavnik", "Кузнецова Вера Петровна", Role.COORDINATOR, None),
    ("iro@demo.nastavnik", "Смирнова Алла Борисовна", Role.REGIONAL, None),
    ("expert@demo.nastavnik", "Морозова Лидия Ивановна", Role.EXPERT, None),            # the jury's chair
    ("expert.secretary@demo.nastavnik", "Карпова Нина Степановна", Role.EXPERT, None),  # its secretary
    ("expert.member@demo.nastavnik", "Горбунова Раиса Львовна", Role.EXPERT, None),     # a member
    ("head.yugorka@demo.nastavnik", "Волкова Инна Сергеевна", Role.HEAD, "yugorka"),
    ("curator.yugorka@demo.nastavnik", "Зайцева Оксана Викторовна", Role.CURATOR, "yugorka"),
    ("mentor.yugorka@demo.nastavnik", "Лебедева Анна Александровна", Role.MENTOR, "yugorka"),
    ("mentee.yugorka@demo.nastavnik", "Соколова Мария Сергеевна", Role.MENTEE, "yugorka"),
    ("curator.sosh1@demo.nastavnik", "Павлова Елена Андреевна", Role.CURATOR, "sosh1"),
    ("head.sosh1@demo.nastavnik", "Егорова Наталья Олеговна", Role.HEAD, "sosh1"),
]


def demo_password() -> tuple[str, bool]:
    given = os.environ.get("PORTAL_DEMO_PASSWORD")
    if given:
        return given, False
    return "demo-" + secrets.token_urlsafe(8), True


def load_demo(staff_per_institution: int = 30) -> str:
    password, generated = demo_password()
    with platform_scope("demo data"):
        region = db.session.execute(db.select(Region).where(Region.slug == REGION[0])).scalar_one_or_none()
        if region is None:
            region = Region(slug=REGION[0], name=REGION[1])
            db.session.add(region)
            db.session.flush()
        muni = db.session.execute(db.select(Municipality).where(Municipality.slug == "pokachi")).scalar_one_or_none()
        if muni is None:
            muni = Municipality(name="г. Покачи", slug="pokachi", region=region)
            db.session.add(muni)
            db.session.flush()
        elif muni.region_id is None:
            muni.region = region
        institutions = {}
        for slug, kind, short, full in INSTITUTIONS:
            inst = db.session.execute(db.select(Institution).where(Institution.slug == slug)).scalar_one_or_none()
            if inst is None:
                inst = Institution(municipality_id=muni.id, slug=slug, kind=kind, short_name=short, full_name=full,
                                   address="628661, ХМАО — Югра, г. Покачи")
                db.session.add(inst)
                db.session.flush()
            institutions[slug] = inst
        db.session.commit()

    rng = random.Random(20221121)
    for inst in institutions.values():
        with institution_scope(inst.id):
            if db.session.execute(db.select(db.func.count(Staff.id))).scalar_one() == 0:
                add_staff(inst, rng, staff_per_institution)
            db.session.commit()

    created_accounts = []
    with platform_scope("demo accounts"):
        for email, name, role, where in DEMO_ACCOUNTS:
            user = find_user_by_email(email)
            if user is None:
                user = User(email=email, full_name=name, password_hash=hash_password(password))
                db.session.add(user)
                db.session.flush()
                created_accounts.append(email)
            inst = institutions.get(where) if where not in (None, "platform") else None
            if not any(b.role is role for b in user.bindings):
                grant_role(user, role, institution=inst, municipality=muni if where is None else None,
                           region=region if role.level == "region" else None)
            if inst is not None:
                _link_staff(user, inst)
        db.session.commit()

    _load_feature_demos(muni, institutions)

    cities = region_demo.load(region.id, password, created_accounts)
    click.echo("Демо-данные загружены: {}; г. Покачи, {} организаций; {}.".format(
        REGION[1], len(institutions), ", ".join(cities)))
    click.echo("Демо-учётные записи:")
    for email, _name, role, _where in DEMO_ACCOUNTS + region_demo.ACCOUNTS:
        click.echo(f"  {role.label:<32} {email}")
    if created_accounts:
        click.echo(f"Пароль демо-учётных записей: {password}" + (" (сгенерирован)" if generated else ""))
    else:
        click.echo("Учётные записи уже были созданы ранее; их пароль не изменён.")
    return password


def _link_staff(user: User, inst: Institution) -> None:
    """Demo accounts of an institution's people get a staff record of their own."""
    last, first, middle = (user.full_name.split() + ["", "", ""])[:3]
    with institution_scope(inst.id):
        exists = db.session.execute(db.select(Staff).where(Staff.user_id == user.id)).scalar_one_or_none()
        if exists is None:
            young = "mentee" in user.email
            today = date.today()
            db.session.add(Staff(
                institution_id=inst.id, last_name=last, first_name=first, middle_name=middle,
                position="vospitatel" if inst.kind is InstitutionKind.DOU else "uchitel",
                category=Category.NONE if young else Category.HIGHEST,
                pedagogical_start=date(today.year - (0 if young else 18), 9, 1) if not young or today.month >= 9
                else date(today.year - 1, 9, 1),
                institution_start=date(today.year - (0 if young else 10), 9, 1) if not young or today.month >= 9
                else date(today.year - 1, 9, 1),
                work_email=user.email, user_id=user.id))
        db.session.flush()


# The features that ship demo data (`portal/<name>/demo.py` with `load(municipality, institutions)`, idempotent),
# loaded in this order; tests/test_explicit_wiring.py fails for one that is missing.
FEATURE_DEMOS = ("contests", "mentoring", "public", "roadmap")


def _load_feature_demos(municipality: Municipality, institutions: dict[str, Institution]) -> None:
    for name in FEATURE_DEMOS:
        importlib.import_module(f"portal.{name}.demo").load(municipality, institutions)
        db.session.commit()
