"""Isolation makers for the pair's page: a planned meeting of a pair of the given institution."""
from __future__ import annotations

from datetime import date

from portal.extensions import db
from tenants.context import platform_scope
from tests.factories import make_group


def _meeting(inst):
    from portal.mentoring.models import Meeting
    from portal.mentoring.states import GroupFormat

    group = make_group(inst)
    with platform_scope("test maker"):
        row = Meeting(institution_id=inst.id, group_id=group.id, held_on=date(2030, 5, 20), duration_minutes=45,
                      format=GroupFormat.IN_PERSON, topic="Планирование", state="planned", place="каб. 12")
        db.session.add(row)
        db.session.commit()
        return row.id


MAKERS = {"pair_meeting_id": _meeting}
