"""Invented staff for the demo data: name pools (no real person's name) and `add_staff`, which fills an institution
with a plausible mix of positions, tenures and categories. Used by portal/demo.py and the region's cities."""
from __future__ import annotations

import random
from datetime import date

from portal.extensions import db
from portal.staff.dictionaries import Category
from portal.staff.models import Staff
from tenants.models import Institution, InstitutionKind

SURNAMES = ["Лебедева", "Соколова", "Воронцова", "Кравцова", "Белоусова", "Гончарова", "Журавлёва", "Миронова",
            "Полякова", "Рябинина", "Тихонова", "Уварова", "Фомина", "Чернова", "Шилова", "Ясенева", "Баранова",
            "Вишнякова", "Громова", "Денисова", "Ершова", "Зимина", "Калинина", "Ласточкина", "Медведева",
            "Новикова", "Орехова", "Петренко", "Родионова", "Савельева", "Титова", "Ульянова", "Хохлова"]
FIRST = ["Анна", "Мария", "Елена", "Ольга", "Наталья", "Ирина", "Светлана", "Татьяна", "Юлия", "Дарья", "Ксения",
         "Валерия", "Алина", "Вероника", "Полина", "Екатерина", "Марина", "Галина", "Людмила", "Виктория"]
PATRONYMICS = ["Александровна", "Сергеевна", "Игоревна", "Викторовна", "Андреевна", "Олеговна", "Павловна",
               "Дмитриевна", "Николаевна", "Евгеньевна", "Владимировна", "Михайловна", "Юрьевна", "Романовна"]
DOU_POSITIONS = ["vospitatel"] * 6 + ["muz_rukovoditel", "instruktor_fk", "pedagog_psiholog", "uchitel_logoped",
                                      "starshiy_vospitatel"]
SCHOOL_POSITIONS = ["uchitel"] * 7 + ["pedagog_psiholog", "socialnyy_pedagog", "pedagog_do", "tyutor",
                                      "pedagog_bibliotekar", "sovetnik_direktora"]


def add_staff(inst: Institution, rng: random.Random, count: int) -> None:
    positions = DOU_POSITIONS if inst.kind is InstitutionKind.DOU else SCHOOL_POSITIONS
    today = date.today()
    for n in range(count):
        years = rng.choice([0, 0, 1, 1, 2, 3, 5, 8, 12, 15, 20, 25, 30])
        start = date(today.year - years, rng.randint(1, 12), 1)
        if start > today:
            start = date(today.year - 1, start.month, 1)
        category = (Category.NONE if years < 2 else rng.choice(
            [Category.CONFORMITY, Category.FIRST, Category.FIRST, Category.HIGHEST, Category.HIGHEST]))
        db.session.add(Staff(
            institution_id=inst.id, last_name=rng.choice(SURNAMES), first_name=rng.choice(FIRST),
            middle_name=rng.choice(PATRONYMICS), position=rng.choice(positions), category=category,
            category_date=date(today.year - rng.randint(0, 4), rng.randint(1, 12), 15) if category is not Category.NONE else None,
            pedagogical_start=start, institution_start=start if rng.random() < 0.7 else date(today.year - min(years, 2), 9, 1),
            birth_date=date(start.year - rng.randint(21, 30), rng.randint(1, 12), rng.randint(1, 28)),
            work_email=f"staff{n + 1}@{inst.slug}.demo.nastavnik"))
