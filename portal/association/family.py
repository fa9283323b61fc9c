"""The two levels of methodological associations as one set of models each: the services and views take a
`Family` and work the same way for an institution's ШМО and the city's ГМО."""
from __future__ import annotations

from dataclasses import dataclass

from portal.association import models as m


@dataclass(frozen=True)
class Family:
    level: str                # "institution" or "city"
    Association: type
    Member: type
    Meeting: type
    AgendaItem: type
    Decision: type
    Attendance: type
    Plan: type
    PlanItem: type
    kinds: dict

    @property
    def is_city(self) -> bool:
        return self.level == "city"


INSTITUTION = Family("institution", m.Association, m.AssociationMember, m.AssociationMeeting, m.AssociationAgendaItem,
                     m.AssociationDecision, m.AssociationAttendance, m.AssociationPlan, m.AssociationPlanItem, m.KINDS)
CITY = Family("city", m.CityAssociation, m.CityAssociationMember, m.CityMeeting, m.CityAgendaItem, m.CityDecision,
              m.CityAttendance, m.CityPlan, m.CityPlanItem, m.CITY_KINDS)
