"""Russian formatting: dates as дд.мм.гггг, plurals, tenure like «1 год 3 мес», shares to a tenth as a report rounds them."""
from __future__ import annotations

from datetime import date, datetime


def plural(n: int, one: str, few: str, many: str) -> str:
    """Russian plural: 1 год, 2 года, 5 лет; 11–14 always «many»."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


FEMININE_ENDINGS = ("вна", "чна", "кызы", "гызы")
MASCULINE_ENDINGS = ("вич", "ич", "оглы", "улы")


def is_feminine(person) -> bool | None:
    """Grammatical gender from the patronymic (Сергеевна, Ильинична, … кызы); None when it does not tell."""
    middle = (getattr(person, "middle_name", "") or "").strip().lower()
    if middle.endswith(FEMININE_ENDINGS):
        return True
    if middle.endswith(MASCULINE_ENDINGS):
        return False
    return None


def role_word(people, one_masculine: str, one_feminine: str, many: str) -> str:
    """The label before a list of people: «Наставляемые» for several, «Наставляемая» for one woman,
    «Наставляемый» for one man or when the patronymic does not tell (the Положение's generic form)."""
    people = list(people)
    if len(people) != 1:
        return many
    return one_feminine if is_feminine(people[0]) else one_masculine


def ru_date(value) -> str:
    """дд.мм.гггг for a date; text (a form's raw input) is returned as typed; nothing gives ""."""
    if not value:
        return ""
    if isinstance(value, str):
        return value
    return value.strftime("%d.%m.%Y")


def ru_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%d.%m.%Y %H:%M")


def months_between(start: date, end: date) -> int:
    """Whole months from start to end (negative never: 0 when end is before start)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def tenure_words(start: date | None, as_of: date) -> str:
    """«1 год 3 мес», «2 года», «5 мес»; «менее месяца» for a start this month."""
    if start is None:
        return ""
    months = months_between(start, as_of)
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} {plural(years, 'год', 'года', 'лет')}")
    if rest:
        parts.append(f"{rest} мес")
    return " ".join(parts) or "менее месяца"


def parse_ru_date(text: str) -> date | None:
    """Parse дд.мм.гггг or ISO гггг-мм-дд; None for anything else."""
    text = (text or "").strip()
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def tenths(numerator: int, denominator: int) -> float:
    """numerator / denominator to one decimal, halves rounded up as a report (and SQL's round) does: 1/16 → 0.1,
    100·1/16 → 6.3 — exact integer arithmetic, not binary floats, so 6.25 never becomes 6.2."""
    return ((20 * numerator + denominator) // (2 * denominator)) / 10


def ru_number(value) -> str:
    """35.2 → «35,2»; None → «—»; integers as they are."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def init_app(app) -> None:
    app.jinja_env.filters["ru_number"] = ru_number
    app.jinja_env.filters["ru_date"] = ru_date
    app.jinja_env.filters["ru_datetime"] = ru_datetime
    app.jinja_env.globals["plural"] = plural
    app.jinja_env.globals["role_word"] = role_word
    app.jinja_env.globals["tenure_words"] = tenure_words


ID_MAX = 2**31 - 1   # the largest id a column holds: a larger «id» is nobody's, not a database overflow


def parse_ids(values) -> list[int]:
    """The ids a form sends (ticked people, pairs …), in their order, each once; anything that is not a whole number
    from 1 to ID_MAX is nobody's id and left out."""
    out = []
    for v in values or []:
        try:
            n = int(v)
        except (TypeError, ValueError):
            continue
        if 1 <= n <= ID_MAX:
            out.append(n)
    return list(dict.fromkeys(out))


def typed_words(text: str, most: int = 3) -> list[str]:
    """What a person typed into a name search, as lower-case words (at most `most`)."""
    return [w for w in (text or "").strip().lower().split() if w][:most]
