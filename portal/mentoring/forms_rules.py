"""What a form of mentoring asks of a pair (group): a long program, or meetings only — short-term (by a schedule of
meetings), situational (on demand), speed (one meeting). Seed §2.3."""
from __future__ import annotations

LONG, SHORT_TERM, SITUATIONAL, SPEED = "long", "short_term", "situational", "speed"
KIND_LABELS = {
    LONG: "Программа наставничества (3–12 месяцев)",
    SHORT_TERM: "Краткосрочное: встречи по графику, без программы",
    SITUATIONAL: "Ситуационное: встречи по запросу, без программы",
    SPEED: "Скоростное: одна встреча, без программы",
}


def kinds_of(group) -> set[str]:
    forms = [f for f in getattr(group, "all_forms", None) or ([group.form] if group.form else [])]
    return {getattr(f, "kind", LONG) or LONG for f in forms} or {LONG}


def needs_program(group) -> bool:
    """A pair needs a personalized program (3–12 months) when any of its forms is a long one."""
    return LONG in kinds_of(group)


def on_demand(group) -> bool:
    """Situational and speed mentoring meet on demand or once: their silence is not inactivity."""
    return kinds_of(group) <= {SITUATIONAL, SPEED}
