"""The public section: nothing unpublished or unconsented appears; results only after completion; news with an
Atom feed; the best-practice bank; the public scope writes nothing."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from portal.consent.models import ConsentKind, ConsentRecord
from portal.extensions import db
from portal.mentoring.states import GroupState, ProgramState
from portal.public.models import BestPractice
from tenants.access import Role
from tenants.context import TenantViolation, platform_scope, public_scope
from tests.factories import make_group, make_institution, make_municipality, make_program, make_staff, make_user


def _consent(inst, staff, fields, withdrawn=None):
    with platform_scope("fixture"):
        db.session.add(ConsentRecord(institution_id=inst.id, staff_id=staff.id, kind=ConsentKind.PUBLICATION,
                                     purpose="Сайт", fields=fields, given_on=date(2024, 1, 1), withdrawn_on=withdrawn))
        db.session.commit()


def test_public_page_shows_people_only_as_far_as_they_consented(app, client):
    city = make_municipality()
    inst = make_institution(city)
    open_mentor = make_staff(inst, last_name="Открытова", first_name="Анна", middle_name="Сергеевна")
    shy_mentor = make_staff(inst, last_name="Скрытова", first_name="Вера", middle_name="Ивановна")
    withdrawn = make_staff(inst, last_name="Отозванова", first_name="Ирина", middle_name="Петровна")
    mentee = make_staff(inst, last_name="Новикова", first_name="Дарья", middle_name="Олеговна")
    _consent(inst, open_mentor, ["full_name", "position"])
    _consent(inst, withdrawn, ["full_name"], withdrawn=date(2024, 6, 1))
    make_group(inst, mentors=[open_mentor], mentees=[mentee])
    make_group(inst, mentors=[shy_mentor])
    make_group(inst, mentors=[withdrawn])
    page = client.get(f"/public/{city.slug}/{inst.slug}/").get_data(as_text=True)
    assert "Открытова Анна Сергеевна, воспитатель" in page
    for hidden in ("Скрытова", "Отозванова", "Новикова", "staff1", "@test.ru"):
        assert hidden not in page
    assert "нет их согласия" in page


def test_program_results_are_published_only_after_completion(app, client):
    city = make_municipality()
    inst = make_institution(city)
    mentee = make_staff(inst)
    _consent(inst, mentee, ["full_name", "program_results"])
    make_program(make_group(inst, mentees=[mentee]), title="Программа в работе", expected_results="Секретный итог А")
    make_program(make_group(inst, state=GroupState.COMPLETED, mentees=[mentee]), title="Завершённая программа",
                 state=ProgramState.COMPLETED, completed_at=date(2025, 5, 30), expected_results="Открытый итог Б")
    make_program(make_group(inst), title="Черновик", state=ProgramState.DRAFT)
    page = client.get(f"/public/{city.slug}/{inst.slug}/").get_data(as_text=True)
    assert "Программа в работе" in page and "Секретный итог А" not in page
    assert "Завершённая программа" in page and "Открытый итог Б" in page and "Черновик" not in page


def test_news_on_the_page_and_in_the_atom_feed(app, client, login):
    city = make_municipality()
    inst = make_institution(city)
    login(make_user((Role.CURATOR, inst)))
    assert client.post(f"/i/{inst.slug}/news", data={"kind": "news", "title": "", "body": ""}).status_code == 422
    client.post(f"/i/{inst.slug}/news", data={"kind": "announcement", "title": "Семинар наставников",
                                             "body": "Приглашаем 5 декабря"})
    client.get("/logout")
    anonymous = app.test_client()
    assert "Семинар наставников" in anonymous.get(f"/public/{city.slug}/{inst.slug}/").get_data(as_text=True)
    feed = anonymous.get(f"/public/{city.slug}/{inst.slug}/feed.atom")
    assert feed.mimetype == "application/atom+xml"
    root = ET.fromstring(feed.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.find("a:title", ns).text for e in root.findall("a:entry", ns)] == ["Семинар наставников"]
    assert ET.fromstring(anonymous.get(f"/public/{city.slug}/feed.atom").data).findall("a:entry", ns) == []


def test_unknown_city_or_another_citys_institution_is_404(app, client):
    city, other = make_municipality(), make_municipality()
    inst = make_institution(other)
    assert client.get("/public/nowhere/").status_code == 404
    assert client.get(f"/public/{city.slug}/{inst.slug}/").status_code == 404


def test_best_practice_proposed_approved_and_found(app, client, login):
    city = make_municipality()
    inst = make_institution(city)
    program = make_program(make_group(inst, state=GroupState.COMPLETED), state=ProgramState.COMPLETED)
    active = make_program(make_group(inst))
    login(make_user((Role.CURATOR, inst)))
    r = client.post(f"/i/{inst.slug}/practices", data={"program_id": active.id, "title": "Кейс", "summary": "С"})
    assert r.status_code == 422 and "завершённой программе" in r.get_data(as_text=True)
    client.post(f"/i/{inst.slug}/practices", data={"program_id": program.id, "title": "Тандем в ДОУ",
                                                   "summary": "Адаптация молодого воспитателя", "topic": "Адаптация"})
    anonymous = app.test_client()
    assert "Тандем в ДОУ" not in anonymous.get(f"/public/{city.slug}/practices").get_data(as_text=True)
    login(make_user((Role.COORDINATOR, city)))
    with platform_scope("check"):
        practice = db.session.query(BestPractice).one()
    client.post(f"/m/{city.slug}/practices/{practice.id}/decision", data={"decision": "approve"})
    found = anonymous.get(f"/public/{city.slug}/practices?q=тандем&kind=dou").get_data(as_text=True)
    assert "Тандем в ДОУ" in found
    assert "Тандем в ДОУ" not in anonymous.get(f"/public/{city.slug}/practices?kind=school").get_data(as_text=True)


def test_the_public_scope_writes_nothing(app):
    city = make_municipality()
    make_institution(city)
    with public_scope(city.id), pytest.raises(TenantViolation):
        db.session.add(BestPractice(municipality_id=city.id, title="X", summary="Y", source="proposal"))
        db.session.flush()
    db.session.rollback()
