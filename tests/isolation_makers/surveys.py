"""Isolation makers for surveys: a campaign of a city, an invitation of an institution."""
from __future__ import annotations

from datetime import date

from portal.extensions import db
from tenants.context import platform_scope
from tests.factories import make_staff


def _campaign(municipality_id: int):
    from portal.surveys.models import SurveyCampaign, SurveyTemplate
    from portal.surveys.services import DEFAULT_TEMPLATES

    title, questions = DEFAULT_TEMPLATES["mentee"]
    with platform_scope("test maker"):
        template = SurveyTemplate(municipality_id=municipality_id, title=title, audience="mentee", questions=questions,
                                  builtin=True)
        db.session.add(template)
        db.session.flush()
        row = SurveyCampaign(municipality_id=municipality_id, template_id=template.id, title="Анкетирование",
                             audience="mentee", opens_on=date(2024, 1, 1), closes_on=date(2030, 1, 1))
        db.session.add(row)
        db.session.commit()
        return row


def _invitation(inst):
    from portal.surveys.models import SurveyInvitation

    camp = _campaign(inst.municipality_id)
    with platform_scope("test maker"):
        row = SurveyInvitation(institution_id=inst.id, campaign_id=camp.id, staff_id=make_staff(inst).id)
        db.session.add(row)
        db.session.commit()
        return row.id


def _foreign_campaign(inst):
    """A campaign is a city row, shared by the city's institutions: the foreign one is another city's."""
    from tests.factories import make_municipality

    return _campaign(make_municipality().id).id


MAKERS = {"invitation_id": _invitation, "campaign_id": _foreign_campaign}
CITY_MAKERS = {"campaign_id": lambda city: _campaign(city.id).id}
