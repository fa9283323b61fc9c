"""The institution's forms of mentoring, edited on their page: the built-in ones of seed §2.3 (the nine, then the
two partner forms — their names and order are states.FORMS_ORDER) and the institution's own. A built-in form keeps
its name and kind; an own form is renamed, given a kind and participants, archived and restored. A form in use by
a pair is archived, never deleted."""
from __future__ import annotations

from portal.errors import Invalid
from portal.extensions import db
from portal.mentoring import banks
from portal.mentoring.forms_rules import KIND_LABELS, MENTEES_FROM, MENTORS_FROM
from portal.mentoring.models import MentoringForm, MentoringGroup
from portal.mentoring.people import GroupForm
from tenants.queries import get_or_404


def form(form_id: int) -> MentoringForm:
    return get_or_404(MentoringForm, form_id, "Форма наставничества не найдена.")


def in_use(row: MentoringForm) -> int:
    main = db.session.execute(db.select(db.func.count(MentoringGroup.id)).where(
        MentoringGroup.form_id == row.id)).scalar_one()
    extra = db.session.execute(db.select(db.func.count()).select_from(GroupForm).where(
        GroupForm.form_id == row.id)).scalar_one()
    return main + extra


def save_form(data: dict, row: MentoringForm | None = None) -> MentoringForm:
    """Create (row None) or edit a form. Every field is checked before anything is written."""
    errors: dict[str, str] = {}
    builtin = row is not None and row.builtin
    name = " ".join((data.get("name") or (row.name if row else "")).split())
    if not builtin:
        if not name:
            errors["name"] = "Укажите название формы наставничества."
        elif any(f.name.lower() == name.lower() and (row is None or f.id != row.id) for f in banks.forms(archived=True)):
            errors["name"] = "Такая форма уже есть в списке."
        elif len(name) > 300:
            errors["name"] = "Название — не длиннее 300 знаков."
    kind = data.get("kind") or (row.kind if row else "long")
    if kind not in KIND_LABELS:
        errors["kind"] = "Выберите, что форма требует: программу или встречи (по графику, по запросу, одну)."
    mentors_from = data.get("mentors_from") or (row.mentors_from if row else "staff")
    if mentors_from not in MENTORS_FROM:
        errors["mentors_from"] = "Выберите, кто может быть наставником."
    mentees_from = data.get("mentees_from") or (row.mentees_from if row else "staff")
    if mentees_from not in MENTEES_FROM:
        errors["mentees_from"] = "Выберите, кто может быть наставляемым."
    description = (data.get("description") if data.get("description") is not None
                   else (row.description if row else "")) or ""
    if len(description) > 5000:
        errors["description"] = "Описание — не длиннее 5000 знаков."
    if errors:
        raise Invalid(fields=errors)
    if row is None:
        row = MentoringForm(builtin=False, archived=False)
        db.session.add(row)
    if not builtin:
        row.name, row.kind, row.mentors_from, row.mentees_from = name, kind, mentors_from, mentees_from
    row.description = description.strip()
    if "archived" in data:
        row.archived = str(data.get("archived")).lower() in ("1", "true", "on", "yes")
    db.session.commit()
    return row
