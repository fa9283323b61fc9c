"""What a form of mentoring asks of a pair (group): a long program, or meetings only — short-term (by a schedule of
meetings), situational (on demand), speed (one meeting) — and who may take part in it: the institution's staff,
a partner organisation's employee as mentor, a student as mentee. Seed §2.3."""
from __future__ import annotations

from portal.extensions import db
from portal.mentoring.models import MentoringForm
from portal.mentoring.people import GroupForm
from portal.mentoring.states import FORMS_ORDER
from portal.mentoring.states import KIND_LABELS, LONG, SHORT_TERM, SITUATIONAL, SPEED  # noqa: F401  (read here)

MENTORS_FROM = {"staff": "Сотрудники организации", "partner": "Также работники организаций-партнёров"}
MENTEES_FROM = {"staff": "Сотрудники организации", "student": "Также студенты"}

# Seed §2.3: the kind and the participants of each built-in form, by its name (states.DEFAULT_FORMS, PARTNER_FORMS).
BUILTIN_SPEC = {
    "Краткосрочное или целеполагающее наставничество": {"kind": SHORT_TERM},
    "Ситуационное наставничество": {"kind": SITUATIONAL},
    # «с наставником более высокого уровня (профессионалом/компетентным лицом)»: also from a partner organisation
    "Скоростное наставничество": {"kind": SPEED, "mentors_from": "partner"},
    "Форма наставничества «работодатель – студент»": {"mentees_from": "student"},
    "Форма наставничества «педагог вуза/колледжа – молодой педагог образовательной организации»":
        {"mentors_from": "partner"},
}


def kinds_of(group) -> set[str]:
    """The kinds of the group's forms, read by ids (the group may come from another session)."""
    ids = [group.form_id] if group.form_id else []
    if group.id is not None:
        ids += list(db.session.execute(db.select(GroupForm.form_id).where(GroupForm.group_id == group.id)).scalars())
    kinds = set(db.session.execute(db.select(MentoringForm.kind).where(MentoringForm.id.in_(ids))).scalars()) if ids else set()
    return kinds or {LONG}


def needs_program(group) -> bool:
    """A pair needs a personalized program (3–12 months) when any of its forms is a long one."""
    return LONG in kinds_of(group)


def one_off(group) -> bool:
    """Speed mentoring only: one meeting, and the pair is done."""
    return kinds_of(group) == {SPEED}


def on_demand(group) -> bool:
    """Situational and speed mentoring meet on demand or once: their silence is not inactivity."""
    return kinds_of(group) <= {SITUATIONAL, SPEED}


def admits_outside(forms, role: str) -> bool:
    """Whether the combined forms let a person from outside the institution be a mentor (a partner's employee) or
    a mentee (a student)."""
    if role == "mentor":
        return any(getattr(f, "mentors_from", "staff") == "partner" for f in forms)
    return any(getattr(f, "mentees_from", "staff") == "student" for f in forms)


def seed_builtins(rows: list[MentoringForm]) -> list[MentoringForm]:
    """Add the built-in forms the institution lacks (all of them on first use), with their kind and participants."""
    have = {r.name for r in rows if r.builtin}
    missing = [name for name in FORMS_ORDER if name not in have]
    # A built-in form's kind and participants are the code's (the page does not edit them): kept in step with it.
    stale = False
    for r in rows:
        for key, value in (BUILTIN_SPEC.get(r.name, {}) if r.builtin else {}).items():
            if getattr(r, key) != value:
                setattr(r, key, value)
                stale = True
    if stale and not missing:
        db.session.commit()
    if not missing:
        return rows
    new = [MentoringForm(name=name, builtin=True, **{"kind": "long", "mentors_from": "staff", "mentees_from": "staff",
                                                     **BUILTIN_SPEC.get(name, {})}) for name in missing]
    db.session.add_all(new)
    db.session.commit()
    return rows + new
