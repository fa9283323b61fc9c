"""The institution's own settings: the load limit of its regulation (empty: no limit), and the head's position and
name that sign its orders."""
from __future__ import annotations

from portal.exceptions import Invalid
from portal.extensions import db
from portal.audit.services import record

MAX_LIMIT = 20


def clean_limit(raw, field: str = "mentor_capacity") -> int | None:
    """Empty means no limit (the seed's Положение sets none); otherwise a whole number of mentees."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_LIMIT:
        raise Invalid(field, f"Наставляемых на одного наставника — целое число от 1 до {MAX_LIMIT}, "
                             "или пусто, если положение организации лимита не устанавливает.")
    return value


def save_settings(institution, data: dict, actor_id: int | None) -> None:
    errors = {}
    try:
        limit = clean_limit(data.get("mentor_capacity"))
    except Invalid as exc:
        errors.update(exc.fields)
        limit = None
    position = " ".join((data.get("head_position") or "").split())
    name = " ".join((data.get("head_name") or "").split())
    if len(position) > 200:
        errors["head_position"] = "Не длиннее 200 символов."
    if len(name) > 200:
        errors["head_name"] = "Не длиннее 200 символов."
    if errors:
        raise Invalid(fields=errors)
    changed = []
    for field, value in (("mentor_capacity", limit), ("head_position", position), ("head_name", name)):
        if getattr(institution, field) != value:
            changed.append(field)
            setattr(institution, field, value)
    if changed:
        record("update", "institution", institution.id, institution_id=institution.id, actor_id=actor_id,
               detail="настройки организации: " + ", ".join(changed))
    db.session.commit()
