"""Isolation makers for the institution's roadmap: a roadmap of the institution with an own item and its task."""
from __future__ import annotations

from datetime import date

from portal.extensions import db
from tenants.context import platform_scope


def _roadmap(inst):
    from portal.institution_roadmap.models import InstitutionRoadmap, InstitutionRoadmapItem, OwnItemTask

    with platform_scope("test maker"):
        row = InstitutionRoadmap(institution_id=inst.id, title="Дорожная карта ОО", first_year=2024, last_year=2026)
        item = InstitutionRoadmapItem(institution_id=inst.id, position=1, title="Своё мероприятие",
                                      deadline_text="ежегодно", rule={"kind": "yearly"})
        row.items.append(item)
        db.session.add(row)
        db.session.flush()
        task = OwnItemTask(institution_id=inst.id, item_id=item.id, period="2025", due_date=date(2025, 12, 31))
        db.session.add(task)
        db.session.commit()
        return row, item, task


MAKERS = {
    "inst_roadmap_id": lambda inst: _roadmap(inst)[0].id,
    "roadmap_item_id": lambda inst: _roadmap(inst)[1].id,
    "own_task_id": lambda inst: _roadmap(inst)[2].id,
}
