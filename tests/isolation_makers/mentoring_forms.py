"""Isolation makers for the forms of mentoring and participants from outside the institution."""
from __future__ import annotations

from datetime import date

from portal.extensions import db
from tenants.context import platform_scope


def _form(inst):
    from portal.mentoring.models import MentoringForm

    with platform_scope("test maker"):
        row = MentoringForm(institution_id=inst.id, name="Своя форма", builtin=False)
        db.session.add(row)
        db.session.commit()
        return row.id


def _person(inst):
    from portal.mentoring.people import STUDENT, ExternalPerson

    with platform_scope("test maker"):
        row = ExternalPerson(institution_id=inst.id, kind=STUDENT, last_name="Студентова", first_name="Вера",
                             consent_date=date(2024, 9, 1))
        db.session.add(row)
        db.session.commit()
        return row.id


MAKERS = {"form_id": _form, "person_id": _person}
