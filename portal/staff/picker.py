"""The person picker's suggestions: the institution's current staff whose surname (or name) starts with what was
typed, a few at a time (templates/macros/_person_picker.html asks for them over HTMX)."""
from __future__ import annotations

from flask import request

from portal.extensions import db
from portal.staff.models import Staff
from portal.staff.blueprint import bp
from portal.web import render
from tenants.access import PICK_STAFF, allow

SUGGESTIONS = 8


def suggestions(text: str, exclude: set[int] | None = None) -> list[Staff]:
    words = [w for w in (text or "").strip().lower().split() if w][:3]
    if not words:
        return []
    stmt = db.select(Staff).where(Staff.archived_at.is_(None))
    for w in words:
        # SQLite's lower() knows only ASCII: the capitalised word («Ив» for «ив») covers Cyrillic names there.
        stmt = stmt.where(db.or_(*(cond for col in (Staff.last_name, Staff.first_name, Staff.middle_name)
                                   for cond in (col.startswith(w.capitalize(), autoescape=True),
                                                db.func.lower(col).startswith(w, autoescape=True)))))
    if exclude:
        stmt = stmt.where(Staff.id.notin_(exclude))
    return list(db.session.execute(stmt.order_by(Staff.last_name, Staff.first_name, Staff.id).limit(SUGGESTIONS)).scalars())


@bp.get("/suggest", endpoint="suggest")
@allow(PICK_STAFF)
def suggest():
    name = request.args.get("name", "staff_ids")
    name = name if name.replace("_", "").isalnum() and len(name) <= 40 else "staff_ids"
    chosen = {int(i) for i in request.args.getlist(name) if i.isdigit()}   # already chosen: not suggested again
    people = suggestions(request.args.get("q", "")[:100], chosen)
    return render("macros/_person_suggestions.html", people=people, name=name, q=request.args.get("q", "")[:100],
                  notes={p.id: p.position_label for p in people})
