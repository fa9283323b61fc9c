"""Admin and coordinator screens: institutions, invitations, role grants within the coordinator's city only."""
from __future__ import annotations

from portal.accounts.models import RoleBinding, User
from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.mail import OutboxMessage
from tenants.access import Role
from tenants.models import Institution
from tests.factories import make_institution, make_municipality, make_user

HX = {"HX-Request": "true"}


def test_admin_creates_an_institution_with_validation_inline(app, client, login):
    muni = make_municipality()
    login(make_user(Role.ADMIN))
    r = client.post("/admin/institutions", headers=HX, data={"municipality_id": muni.id, "full_name": "",
                                                            "short_name": "МАОУ СОШ № 7", "kind": "school",
                                                            "slug": "Школа 7"})
    text = r.get_data(as_text=True)
    assert r.status_code == 422 and "полное наименование" in text and "латинские строчные" in text
    assert db.session.query(Institution).count() == 0
    r = client.post("/admin/institutions", data={"municipality_id": muni.id, "full_name": "Средняя школа № 7",
                                                 "short_name": "МАОУ СОШ № 7", "kind": "school", "slug": "sosh7",
                                                 "mentor_capacity": "3"})
    assert r.status_code == 302
    assert db.session.query(Institution).one().mentor_capacity == 3


def test_taken_slug_is_refused(app, client, login):
    inst = make_institution()
    login(make_user(Role.ADMIN))
    r = client.post("/admin/institutions", data={"municipality_id": inst.municipality_id, "full_name": "X",
                                                 "short_name": "Y", "kind": "dou", "slug": inst.slug})
    assert r.status_code == 422 and "уже занят" in r.get_data(as_text=True)


def test_coordinator_invites_a_curator_and_the_invitation_is_in_the_outbox(app, client, login):
    inst = make_institution()
    login(make_user((Role.COORDINATOR, inst.municipality)))
    r = client.post(f"/m/{inst.municipality.slug}/admin/users", headers=HX, data={
        "full_name": "Новикова Ирина Сергеевна", "email": "novikova@sad.ru", "role": "curator",
        "institution_id": inst.id})
    assert r.status_code == 200
    user = db.session.query(User).filter_by(email="novikova@sad.ru").one()
    assert [(b.role, b.institution_id) for b in user.bindings] == [(Role.CURATOR, inst.id)]
    mail = db.session.query(OutboxMessage).one()
    assert mail.recipient == "novikova@sad.ru" and "/password/reset/" in mail.body


def test_duplicate_email_is_refused_inline_and_nothing_is_saved(app, client, login):
    inst = make_institution()
    existing = make_user()
    login(make_user((Role.COORDINATOR, inst.municipality)))
    before = db.session.query(User).count()
    r = client.post(f"/m/{inst.municipality.slug}/admin/users", headers=HX, data={
        "full_name": "Кто-то", "email": existing.email, "role": "curator", "institution_id": inst.id})
    assert r.status_code == 422 and "уже есть" in r.get_data(as_text=True)
    assert db.session.query(User).count() == before and db.session.query(OutboxMessage).count() == 0


def test_coordinator_cannot_grant_roles_in_another_city(app, client, login):
    mine, foreign = make_institution(), make_institution()
    target = make_user((Role.MENTOR, mine))
    login(make_user((Role.COORDINATOR, mine.municipality)))
    r = client.post(f"/m/{mine.municipality.slug}/admin/users/{target.id}/roles",
                    data={"role": "curator", "institution_id": foreign.id})
    assert r.status_code == 404
    assert db.session.query(RoleBinding).filter_by(user_id=target.id).count() == 1


def test_coordinator_cannot_grant_admin_or_coordinator(app, client, login):
    inst = make_institution()
    target = make_user((Role.MENTOR, inst))
    login(make_user((Role.COORDINATOR, inst.municipality)))
    for role in ("admin", "coordinator", "regional"):
        r = client.post(f"/m/{inst.municipality.slug}/admin/users/{target.id}/roles", data={"role": role})
        assert r.status_code in (403, 422)
    assert {b.role for b in db.session.get(User, target.id).bindings} == {Role.MENTOR}


def test_coordinator_does_not_see_users_of_another_city(app, client, login):
    mine, foreign = make_institution(), make_institution()
    stranger = make_user((Role.CURATOR, foreign))
    login(make_user((Role.COORDINATOR, mine.municipality)))
    assert client.get(f"/m/{mine.municipality.slug}/admin/users/{stranger.id}").status_code == 404
    assert stranger.email not in client.get(f"/m/{mine.municipality.slug}/admin/users").get_data(as_text=True)


def test_grant_and_revoke_are_audited(app, client, login):
    inst = make_institution()
    target = make_user((Role.MENTEE, inst))
    login(make_user((Role.COORDINATOR, inst.municipality)))
    client.post(f"/m/{inst.municipality.slug}/admin/users/{target.id}/roles",
                data={"role": "mentor", "institution_id": inst.id})
    binding = db.session.query(RoleBinding).filter_by(user_id=target.id, role=Role.MENTOR).one()
    client.post(f"/m/{inst.municipality.slug}/admin/users/{target.id}/roles/{binding.id}/revoke")
    assert db.session.query(RoleBinding).filter_by(user_id=target.id).count() == 1
    details = [e.detail for e in db.session.query(AuditEvent).filter_by(object_type="role_binding")]
    assert details == ["выдана роль mentor", "отозвана роль mentor"]


def test_coordinator_must_give_a_new_user_a_role_in_her_city(app, client, login):
    inst = make_institution()
    login(make_user((Role.COORDINATOR, inst.municipality)))
    r = client.post(f"/m/{inst.municipality.slug}/admin/users", headers=HX,
                    data={"full_name": "Без Роли", "email": "norole@sad.ru", "role": ""})
    assert r.status_code == 422 and db.session.query(User).filter_by(email="norole@sad.ru").count() == 0


def test_the_same_role_twice_is_refused(app, client, login):
    inst = make_institution()
    target = make_user((Role.MENTOR, inst))
    login(make_user((Role.COORDINATOR, inst.municipality)))
    r = client.post(f"/m/{inst.municipality.slug}/admin/users/{target.id}/roles",
                    data={"role": "mentor", "institution_id": inst.id})
    assert r.status_code == 422 and "уже есть эта роль" in r.get_data(as_text=True)


def test_deactivated_user_is_logged_out_on_next_request(app, client, login):
    inst = make_institution()
    victim = make_user((Role.CURATOR, inst))
    victim_client = app.test_client()
    login(victim, victim_client)
    assert victim_client.get(f"/i/{inst.slug}/").status_code == 200
    login(make_user(Role.ADMIN))
    client.post(f"/admin/users/{victim.id}/active", data={"active": "0"})
    assert victim_client.get(f"/i/{inst.slug}/").status_code == 302


def test_revoked_role_is_denied_on_the_next_request(app, client, login):
    inst = make_institution()
    mentor = make_user((Role.CURATOR, inst))
    mentor_client = app.test_client()
    login(mentor, mentor_client)
    assert mentor_client.get(f"/i/{inst.slug}/staff/").status_code == 200
    login(make_user(Role.ADMIN))
    binding = db.session.query(RoleBinding).filter_by(user_id=mentor.id).one()
    client.post(f"/admin/users/{mentor.id}/roles/{binding.id}/revoke")
    assert mentor_client.get(f"/i/{inst.slug}/staff/").status_code == 404
