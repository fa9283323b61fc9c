"""Isolation makers for methodological associations: rows of an institution's ШМО, and of a city's ГМО."""
from __future__ import annotations

from datetime import date

from portal.extensions import db
from tenants.context import platform_scope
from tests.factories import make_staff


def _association(inst):
    from portal.association.models import Association, AssociationMember

    staff = make_staff(inst)
    with platform_scope("test maker"):
        row = Association(institution_id=inst.id, kind="shmo", name="ШМО наставников")
        row.members.append(AssociationMember(institution_id=inst.id, staff_id=staff.id, role="chair",
                                             joined_on=date(2024, 9, 1)))
        db.session.add(row)
        db.session.commit()
        return row


def _meeting(inst):
    from portal.association.models import (AssociationAgendaItem, AssociationDecision, AssociationMeeting,
                                           AssociationPlanItem)

    row = _association(inst)
    with platform_scope("test maker"):
        m = AssociationMeeting(institution_id=inst.id, association_id=row.id, number=1, academic_year="2024-2025",
                               held_on=date(2024, 10, 1))
        m.agenda.append(AssociationAgendaItem(institution_id=inst.id, position=1, title="О программах"))
        db.session.add(m)
        db.session.flush()
        m.decisions.append(AssociationDecision(institution_id=inst.id, text="Разработать", agenda_item_id=m.agenda[0].id))
        db.session.add(AssociationPlanItem(institution_id=inst.id, association_id=row.id, academic_year="2024-2025",
                                           position=1, when="сентябрь", content="Заседание"))
        db.session.commit()
        return row, m


def _city_association(city):
    from portal.association.models import CityAssociation, CityAssociationMember
    from tests.factories import make_institution

    staff = make_staff(make_institution(city))
    with platform_scope("test maker"):
        row = CityAssociation(municipality_id=city.id, kind="seminar", name="Семинар кураторов")
        row.members.append(CityAssociationMember(municipality_id=city.id, staff_id=staff.id, role="chair",
                                                 joined_on=date(2024, 9, 1)))
        db.session.add(row)
        db.session.commit()
        return row


def _city_meeting(city):
    from portal.association.models import CityAgendaItem, CityDecision, CityMeeting, CityPlanItem

    row = _city_association(city)
    with platform_scope("test maker"):
        m = CityMeeting(municipality_id=city.id, association_id=row.id, number=1, academic_year="2024-2025",
                        held_on=date(2024, 10, 1))
        m.agenda.append(CityAgendaItem(municipality_id=city.id, position=1, title="О программах"))
        db.session.add(m)
        db.session.flush()
        m.decisions.append(CityDecision(municipality_id=city.id, text="Разработать", agenda_item_id=m.agenda[0].id))
        db.session.add(CityPlanItem(municipality_id=city.id, association_id=row.id, academic_year="2024-2025",
                                    position=1, when="сентябрь", content="Семинар"))
        db.session.commit()
        return row, m


def _plan_line(inst):
    from portal.association.models import AssociationPlanItem

    row, _ = _meeting(inst)
    with platform_scope("test maker"):
        return db.session.execute(db.select(AssociationPlanItem.id).where(
            AssociationPlanItem.association_id == row.id)).scalar_one()


def _city_plan_line(city):
    from portal.association.models import CityPlanItem

    row, _ = _city_meeting(city)
    with platform_scope("test maker"):
        return db.session.execute(db.select(CityPlanItem.id).where(CityPlanItem.association_id == row.id)).scalar_one()


MAKERS = {
    "association_id": lambda inst: _association(inst).id,
    "association_member_id": lambda inst: _association(inst).members[0].id,
    "meeting_id": lambda inst: _meeting(inst)[1].id,
    "agenda_item_id": lambda inst: _meeting(inst)[1].agenda[0].id,
    "decision_id": lambda inst: _meeting(inst)[1].decisions[0].id,
    "plan_line_id": _plan_line,
}
CITY_MAKERS = {
    "association_id": lambda city: _city_association(city).id,
    "association_member_id": lambda city: _city_association(city).members[0].id,
    "meeting_id": lambda city: _city_meeting(city)[1].id,
    "agenda_item_id": lambda city: _city_meeting(city)[1].agenda[0].id,
    "decision_id": lambda city: _city_meeting(city)[1].decisions[0].id,
    "plan_line_id": _city_plan_line,
}
