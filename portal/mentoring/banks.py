"""Banks of mentors and mentees (банк наставников, банк наставляемых) and the forms dictionary."""
from __future__ import annotations


from portal import clock
from portal.errors import Invalid
from portal.extensions import db
from portal.mentoring.forms_rules import seed_builtins
from portal.mentoring.models import MenteeNeed, MentorProfile, MentoringForm
from portal.mentoring.states import DEFAULT_DIFFICULTIES, FORMS_ORDER, MenteeCategory
from portal.staff.models import Staff
from tenants.queries import find, get_or_404


def forms(archived: bool = False) -> list[MentoringForm]:
    """The institution's forms of mentoring in FORMS_ORDER (the built-in ones of seed §2.3 are seeded on first
    use, the two partner forms also for an institution that had the nine), then the institution's own."""
    rows = seed_builtins(list(db.session.execute(db.select(MentoringForm).order_by(MentoringForm.id)).scalars()))
    position = {name: i for i, name in enumerate(FORMS_ORDER)}
    rows.sort(key=lambda r: (position.get(r.name, len(position)) if r.builtin else len(position), r.name.lower()))
    return [r for r in rows if archived or not r.archived]


def add_form(name: str) -> MentoringForm:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("name", "Укажите название формы наставничества.")
    if any(f.name.lower() == name.lower() for f in forms(archived=True)):
        raise Invalid("name", "Такая форма уже есть в списке.")
    form = MentoringForm(name=name[:300], builtin=False)
    db.session.add(form)
    db.session.commit()
    return form


def _staff(staff_id) -> Staff:
    staff = find(Staff, staff_id)
    if staff is None or staff.archived:
        raise Invalid("staff_id", "Выберите сотрудника из списка.")
    return staff


def _difficulties(codes) -> list[str]:
    return [c for c in codes if c in DEFAULT_DIFFICULTIES]


def mentors() -> list[MentorProfile]:
    return list(db.session.execute(db.select(MentorProfile).join(MentorProfile.staff)
                                   .where(MentorProfile.active.is_(True)).order_by(Staff.last_name)).scalars())


def mentor(mentor_id: int) -> MentorProfile:
    return get_or_404(MentorProfile, mentor_id, "Наставник не найден.")


def save_mentor(data: dict, profile: MentorProfile | None = None) -> MentorProfile:
    errors = {}
    capacity = None
    if data.get("capacity"):
        try:
            capacity = int(data["capacity"])
            if not 1 <= capacity <= 5:
                raise ValueError
        except ValueError:
            errors["capacity"] = "Число наставляемых — от 1 до 5 (пусто — по правилу организации)."
    if profile is None:
        try:
            staff = _staff(data.get("staff_id"))
        except Invalid as exc:
            errors.update(exc.fields)
            staff = None
        if staff is not None and db.session.execute(
                db.select(MentorProfile.id).where(MentorProfile.staff_id == staff.id)).first():
            errors["staff_id"] = "Этот сотрудник уже в банке наставников."
    if errors:
        raise Invalid(fields=errors)
    if profile is None:
        profile = MentorProfile(staff_id=staff.id)
        db.session.add(profile)
    profile.competencies = _difficulties(data.get("competencies", []))
    profile.areas = (data.get("areas") or "").strip()
    profile.capacity = capacity
    profile.active = True
    db.session.commit()
    return profile


def needs(open_only: bool = True) -> list[MenteeNeed]:
    stmt = db.select(MenteeNeed).join(MenteeNeed.staff).order_by(Staff.last_name)
    if open_only:
        stmt = stmt.where(MenteeNeed.closed_at.is_(None))
    return list(db.session.execute(stmt).scalars())


def need(need_id: int) -> MenteeNeed:
    return get_or_404(MenteeNeed, need_id, "Запись банка наставляемых не найдена.")


def save_need(data: dict) -> MenteeNeed:
    errors = {}
    try:
        staff = _staff(data.get("staff_id"))
    except Invalid as exc:
        errors.update(exc.fields)
        staff = None
    category = data.get("category") or ""
    if category not in MenteeCategory._value2member_map_:
        errors["category"] = "Выберите категорию наставляемого."
    if staff is not None and db.session.execute(db.select(MenteeNeed.id).where(
            MenteeNeed.staff_id == staff.id, MenteeNeed.closed_at.is_(None))).first():
        errors["staff_id"] = "Этот сотрудник уже в банке наставляемых."
    codes = _difficulties(data.get("difficulties", []))
    if not codes and not (data.get("difficulties_text") or "").strip():
        errors["difficulties"] = "Отметьте затруднения или опишите их своими словами."
    if errors:
        raise Invalid(fields=errors)
    row = MenteeNeed(staff_id=staff.id, category=MenteeCategory(category), difficulties=codes,
                     difficulties_text=(data.get("difficulties_text") or "").strip(),
                     own_request=(data.get("own_request") or "").strip(),
                     strengths=(data.get("strengths") or "").strip()[:5000])
    db.session.add(row)
    db.session.commit()
    return row


def close_need_for(staff_id: int) -> None:
    for row in db.session.execute(db.select(MenteeNeed).where(
            MenteeNeed.staff_id == staff_id, MenteeNeed.closed_at.is_(None))).scalars():
        row.closed_at = clock.now()
