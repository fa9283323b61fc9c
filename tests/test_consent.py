"""Personal-data consent (152-ФЗ): records, withdrawal, the person's data exported to them, erasure end to end."""
from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

from docx import Document

from portal.audit.models import AuditEvent
from portal.consent.models import ConsentRecord, ErasureAct
from portal.consent.services import publishable_fields
from portal.extensions import db
from portal.mentoring.models import GroupMember
from portal.programs.models import PlanItem, Program
from portal.staff.models import Staff
from portal.uploads.models import Attachment
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tests.factories import make_group, make_institution, make_plan_item, make_program, make_staff, make_user


def test_publication_consent_allows_only_its_fields_until_withdrawn(app, client, login):
    inst = make_institution()
    staff = make_staff(inst)
    login(make_user((Role.CURATOR, inst)))
    base = f"/i/{inst.slug}/staff/{staff.id}/consent"
    r = client.post(base, data={"kind": "publication", "purpose": "Сайт организации", "given_on": "01.09.2024"})
    assert r.status_code == 422 and "разрешил публиковать" in r.get_data(as_text=True)
    client.post(base, data={"kind": "publication", "purpose": "Сайт организации", "given_on": "01.09.2024",
                            "fields": ["full_name", "position"]})
    with institution_scope(inst.id):
        assert publishable_fields([staff.id])[staff.id] == {"full_name", "position"}
        consent = db.session.query(ConsentRecord).one()
    yesterday = (date.today() - timedelta(days=1)).strftime("%d.%m.%Y")
    assert client.post(f"{base}/{consent.id}/withdraw", data={"withdrawn_on": "31.08.2024"}).status_code == 422
    client.post(f"{base}/{consent.id}/withdraw", data={"withdrawn_on": yesterday})
    with institution_scope(inst.id):
        assert publishable_fields([staff.id])[staff.id] == set()
        assert publishable_fields([staff.id], as_of=date(2024, 10, 1))[staff.id] == {"full_name", "position"}


def test_a_persons_data_is_exported_to_them(app, client, login):
    inst = make_institution()
    staff = make_staff(inst, last_name="Подсолнухова")
    make_program(make_group(inst, mentees=[staff]))
    login(make_user((Role.CURATOR, inst)))
    r = client.get(f"/i/{inst.slug}/staff/{staff.id}/consent/personal-data.json")
    body = json.loads(r.data)
    assert body["Карточка"]["Фамилия"] == "Подсолнухова" and len(body["Программы (как наставляемый)"]) == 1
    with platform_scope("check"):
        assert db.session.query(AuditEvent).filter_by(action="export", object_type="staff", object_id=staff.id).count() == 1


def test_erasure_end_to_end_leaves_ids_only_and_an_act(app, client, login):
    inst = make_institution()
    staff = make_staff(inst, last_name="Ромашкова", first_name="Лилия", middle_name="Сергеевна")
    group = make_group(inst, mentees=[staff])
    item = make_plan_item(make_program(group))
    head = make_user((Role.HEAD, inst))
    login(head)
    # A file of hers: evidence of her program's item, uploaded through the page.
    mentee_user = make_user((Role.MENTEE, inst))
    with platform_scope("link"):
        db.session.get(Staff, staff.id).user_id = mentee_user.id
        db.session.commit()
    mentee_client = app.test_client()
    login(mentee_user, mentee_client)
    mentee_client.post(f"/i/{inst.slug}/programs/{item.program_id}/items/{item.id}/done",
                       data={"evidence": (io.BytesIO(b"%PDF-1.4 evidence"), "отчёт.pdf")}, content_type="multipart/form-data")
    with platform_scope("check"):
        stored = db.session.query(Attachment).one()
    upload = Path(app.config["UPLOAD_ROOT"]) / stored.storage_key
    assert upload.exists()
    base = f"/i/{inst.slug}/staff/{staff.id}/consent"
    assert client.post(f"{base}/erase", data={"reason": "Заявление субъекта", "confirm": "Иванова"}).status_code == 422
    r = client.post(f"{base}/erase", data={"reason": "Заявление субъекта от 01.12.2026", "confirm": "Ромашкова"})
    assert r.status_code == 302
    with platform_scope("check"):
        assert db.session.get(Staff, staff.id) is None
        assert db.session.query(Program).filter_by(mentee_staff_id=staff.id).count() == 0
        assert db.session.query(GroupMember).filter_by(staff_id=staff.id).count() == 0
        assert db.session.query(PlanItem).count() == 0 and db.session.query(Attachment).count() == 0
        events = db.session.query(AuditEvent).filter_by(object_type="staff", object_id=staff.id).all()
        act = db.session.query(ErasureAct).one()
    assert not upload.exists()
    assert events and all("Ромашков" not in (e.detail or "") for e in events)
    assert any(e.action == "erase" for e in events)
    doc = Document(io.BytesIO(client.get(f"/i/{inst.slug}/erasure-acts/{act.id}.docx").data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "АКТ" in text and "Ромашкова Лилия Сергеевна" in text and "Заявление субъекта от 01.12.2026" in text


def test_only_the_head_erases(app, client, login):
    inst = make_institution()
    staff = make_staff(inst)
    login(make_user((Role.CURATOR, inst)))
    r = client.post(f"/i/{inst.slug}/staff/{staff.id}/consent/erase", data={"reason": "Заявление", "confirm": staff.last_name})
    assert r.status_code == 403
    with institution_scope(inst.id):
        assert db.session.get(Staff, staff.id) is not None
