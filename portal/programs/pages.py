"""The program pages' blueprint and what views.py and personal_views.py (whose routes join it) share: the program a
page shows, the one it may edit, the page's context. In a module of their own so both import them at the top."""
from __future__ import annotations

from datetime import date

from flask_login import current_user

from portal.errors import Forbidden
from portal.mentoring.states import CompletionReason, PlanItemStatus, ProgramState
from portal.programs import personal, services
from portal.programs.models import Program
from portal.uploads.services import attachments_by_owner
from tenants.access import current_roles
from tenants.routing import institution_blueprint

bp = institution_blueprint("programs", __name__, "/programs")


def _program(program_id: int) -> Program:
    return services.readable(current_user, current_roles(), services.program(program_id))


def _editable(program_id: int) -> Program:
    row = _program(program_id)
    if not services.may_edit(current_user, current_roles(), row):
        raise Forbidden("Программу ведут наставник этой пары, куратор и руководитель.")
    return row


def _page_ctx(row: Program, **extra):
    me = services.staff_of(current_user)
    # The comments and the evidence of every plan item in two statements, not two per item.
    comments, evidence = services.comments_by_item(row), attachments_by_owner("plan_item", [it.id for it in row.items])
    return {"program": row, "proposals": personal.proposals(row),
            "is_mentee": me is not None and me.id == row.mentee_staff_id,
            "is_mentor": services.is_mentor_of(current_user, row.group), "changes": services.changes(row),
            "reasons": [(r.value, r.label) for r in CompletionReason],
            "states": ProgramState, "statuses": PlanItemStatus, "can_edit": services.may_edit(current_user, current_roles(), row),
            "can_mark": services.may_mark(current_user, current_roles(), row), "errors": {}, "data": {},
            "evidence": lambda it: evidence.get(it.id, []), "comments": lambda it: comments.get(it.id, []),
            "today": date.today(), **extra}
