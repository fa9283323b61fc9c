"""Dictionaries of positions and qualification categories (as Russian institutions name them)."""
from __future__ import annotations

import enum

# Positions of pedagogical workers in ДОУ and schools (номенклатура должностей, постановление № 225).
POSITIONS: dict[str, str] = {
    "vospitatel": "Воспитатель",
    "starshiy_vospitatel": "Старший воспитатель",
    "uchitel": "Учитель",
    "uchitel_logoped": "Учитель-логопед",
    "uchitel_defektolog": "Учитель-дефектолог",
    "pedagog_psiholog": "Педагог-психолог",
    "socialnyy_pedagog": "Социальный педагог",
    "muz_rukovoditel": "Музыкальный руководитель",
    "instruktor_fk": "Инструктор по физической культуре",
    "pedagog_do": "Педагог дополнительного образования",
    "pedagog_organizator": "Педагог-организатор",
    "metodist": "Методист",
    "tyutor": "Тьютор",
    "pedagog_bibliotekar": "Педагог-библиотекарь",
    "prepodavatel_organizator_obzh": "Преподаватель-организатор ОБЗР",
    "sovetnik_direktora": "Советник директора по воспитанию",
    "zam_rukovoditelya": "Заместитель руководителя",
    "rukovoditel": "Руководитель (заведующий, директор)",
}

POSITION_BY_LABEL = {label.lower(): code for code, label in POSITIONS.items()}


class Category(enum.StrEnum):
    """Квалификационная категория (приказ Минпросвещения № 196 от 24.03.2023)."""

    NONE = "none"
    CONFORMITY = "conformity"
    FIRST = "first"
    HIGHEST = "highest"
    METHODIST = "methodist"
    MENTOR = "mentor"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    Category.NONE: "Без категории",
    Category.CONFORMITY: "Соответствие занимаемой должности",
    Category.FIRST: "Первая квалификационная категория",
    Category.HIGHEST: "Высшая квалификационная категория",
    Category.METHODIST: "Педагог-методист",
    Category.MENTOR: "Педагог-наставник",
}

# Spellings found in institutions' files, lower-cased; the import accepts any of them.
CATEGORY_ALIASES = {
    "": Category.NONE, "без категории": Category.NONE, "нет": Category.NONE, "б/к": Category.NONE,
    "соответствие": Category.CONFORMITY, "соответствие занимаемой должности": Category.CONFORMITY, "сзд": Category.CONFORMITY,
    "первая": Category.FIRST, "первая квалификационная категория": Category.FIRST, "1": Category.FIRST,
    "высшая": Category.HIGHEST, "высшая квалификационная категория": Category.HIGHEST,
    "педагог-методист": Category.METHODIST, "педагог-наставник": Category.MENTOR,
}


def category_from_text(text: str) -> Category | None:
    return CATEGORY_ALIASES.get((text or "").strip().lower().rstrip("."))


def position_from_text(text: str) -> str | None:
    text = (text or "").strip().lower()
    if text in POSITIONS:
        return text
    return POSITION_BY_LABEL.get(text)
