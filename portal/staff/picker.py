"""The person picker's suggestions: the institution's current staff whose surname (or name) starts with what was
typed, a few at a time (templates/macros/_person_picker.html asks for them over HTMX)."""
from __future__ import annotations

from flask import request

from portal.extensions import db
from portal.formatting import parse_ids, typed_words
from portal.name_search import starts_a_word
from portal.staff.models import Staff
from portal.staff.blueprint import bp
from portal.web import render
from tenants.access import PICK_STAFF, allow

SUGGESTIONS = 8


def suggestions(text: str, exclude: set[int] | None = None) -> list[Staff]:
    words = typed_words(text)
    if not words:
        return []
    stmt = db.select(Staff).where(Staff.archived_at.is_(None))
    for w in words:
        stmt = stmt.where(starts_a_word(w, Staff.last_name, Staff.first_name, Staff.middle_name))
    if exclude:
        stmt = stmt.where(Staff.id.notin_(exclude))
    return list(db.session.execute(stmt.order_by(Staff.last_name, Staff.first_name, Staff.id).limit(SUGGESTIONS)).scalars())


@bp.get("/suggest", endpoint="suggest")
@allow(PICK_STAFF)
def suggest():
    name = request.args.get("name", "staff_ids")
    name = name if name.replace("_", "").isalnum() and len(name) <= 40 else "staff_ids"
    chosen = set(parse_ids(request.args.getlist(name)))   # already chosen: not suggested again
    people = suggestions(request.args.get("q", "")[:100], chosen)
    return render("macros/_person_suggestions.html", people=people, name=name, q=request.args.get("q", "")[:100],
                  notes={p.id: p.position_label for p in people})
