"""Isolation makers for the mentee's proposals and the institution's program templates."""
from __future__ import annotations

from datetime import date

from portal.extensions import db
from tenants.context import platform_scope
from tests.factories import make_group, make_program


def _proposal(inst):
    from portal.programs.models import PlanProposal

    program = make_program(make_group(inst))
    with platform_scope("test maker"):
        row = PlanProposal(institution_id=inst.id, program_id=program.id, content="Предложение",
                           due_date=date(2024, 10, 1))
        db.session.add(row)
        db.session.commit()
        return row.id


def _template(inst):
    from portal.programs.models import ProgramTemplate

    with platform_scope("test maker"):
        row = ProgramTemplate(institution_id=inst.id, title="Шаблон", items=[])
        db.session.add(row)
        db.session.commit()
        return row.id


MAKERS = {"proposal_id": _proposal, "template_id": _template}
