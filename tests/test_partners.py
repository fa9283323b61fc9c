"""Partners and agreements (seed roadmap items 4, 11) and the reminder before 1 October."""
from __future__ import annotations

import io
from datetime import date

from portal.extensions import db
from portal.notifications.models import Notification
from portal.reminders.services import send_reminders
from portal.partners.models import Agreement, Partner
from tenants.access import Role
from tenants.context import institution_scope
from tests.factories import make_institution, make_user


def test_partner_and_agreement_with_file_and_bad_input(app, client, login):
    inst = make_institution()
    login(make_user((Role.CURATOR, inst)))
    assert client.post(f"/i/{inst.slug}/partners", data={"name": "", "kind": "x"}).status_code == 422
    client.post(f"/i/{inst.slug}/partners", data={"name": "Педагогический колледж", "kind": "college"})
    with institution_scope(inst.id):
        partner = db.session.query(Partner).one()
    url = f"/i/{inst.slug}/partners/{partner.id}/agreements"
    r = client.post(url, data={"number": "", "signed_on": "01.09.2024", "valid_to": "01.01.2024", "subject": ""})
    assert r.status_code == 422
    r = client.post(url, data={"number": "12", "signed_on": "01.09.2024", "valid_to": "31.08.2025",
                               "subject": "Педагогическая практика студентов",
                               "file": (io.BytesIO(b"%PDF-1.4 agreement"), "соглашение.pdf")},
                    content_type="multipart/form-data")
    assert r.status_code == 302
    with institution_scope(inst.id):
        agreement = db.session.query(Agreement).one()
        assert agreement.valid_on(date(2025, 5, 1)) and not agreement.valid_on(date(2025, 10, 1))
    assert client.get(f"/i/{inst.slug}/partners/agreements/{agreement.id}/file").data.startswith(b"%PDF")


def test_reminder_before_1_october_once_a_year_until_an_agreement_is_in_force(app):
    inst = make_institution()
    head = make_user((Role.HEAD, inst))
    with institution_scope(inst.id):
        assert send_reminders(inst, date(2025, 8, 30)).agreements == 0     # not yet September
        assert send_reminders(inst, date(2025, 9, 2)).agreements == 1
        assert send_reminders(inst, date(2025, 9, 3)).agreements == 0      # once a year
        partner = Partner(name="Дом культуры", kind="culture")
        db.session.add(partner)
        db.session.flush()
        db.session.add(Agreement(partner_id=partner.id, number="3", signed_on=date(2026, 9, 1),
                                 valid_from=date(2026, 9, 1), subject="Совместные мероприятия"))
        db.session.commit()
        assert send_reminders(inst, date(2026, 9, 2)).agreements == 0      # in force on 1 October 2026
    assert db.session.query(Notification).filter_by(user_id=head.id, kind="agreements").count() == 1
