"""Staff registry: validation next to the field, history of changes, archive, search, export, audit."""
from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.staff.models import Staff, StaffChange
from tenants.access import Role
from tenants.context import platform_scope
from tests.factories import make_institution, make_staff, make_user

GOOD = {"last_name": "Ромашкина", "first_name": "Алиса", "middle_name": "Игоревна", "position": "vospitatel",
        "category": "first", "category_date": "15.03.2021", "pedagogical_start": "01.09.2016",
        "institution_start": "01.09.2019", "work_email": "romashkina@sad.ru"}


def _curator(login, inst=None):
    inst = inst or make_institution()
    login(make_user((Role.CURATOR, inst)))
    return inst


def test_curator_adds_a_teacher_and_sees_tenure(app, client, login):
    inst = _curator(login)
    r = client.post(f"/i/{inst.slug}/staff/new", data=GOOD)
    assert r.status_code == 302
    card = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Ромашкина Алиса Игоревна" in card and "Первая квалификационная категория" in card
    with platform_scope("check"):
        assert db.session.query(Staff).one().institution_id == inst.id


def test_missing_name_and_bad_date_are_shown_next_to_fields_and_nothing_saved(app, client, login):
    inst = _curator(login)
    r = client.post(f"/i/{inst.slug}/staff/new", data={**GOOD, "last_name": "", "pedagogical_start": "32.13.2020"},
                    headers={"HX-Request": "true"})
    text = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Заполните поле «Фамилия»" in text and "дд.мм.гггг" in text
    with platform_scope("check"):
        assert db.session.query(Staff).count() == 0


def test_category_date_is_required_unless_without_category(app, client, login):
    inst = _curator(login)
    r = client.post(f"/i/{inst.slug}/staff/new", data={**GOOD, "category_date": ""})
    assert r.status_code == 422 and "Дата присвоения категории" in r.get_data(as_text=True)
    r = client.post(f"/i/{inst.slug}/staff/new", data={**GOOD, "category": "none", "category_date": ""})
    assert r.status_code == 302


def test_institution_start_before_pedagogical_start_is_refused(app, client, login):
    inst = _curator(login)
    r = client.post(f"/i/{inst.slug}/staff/new", data={**GOOD, "institution_start": "01.09.2010"})
    assert r.status_code == 422 and "не может начаться раньше" in r.get_data(as_text=True)


def test_every_edit_is_kept_in_history_with_who_and_what(app, client, login):
    inst = _curator(login)
    staff = make_staff(inst, last_name="Ромашкина")
    r = client.post(f"/i/{inst.slug}/staff/{staff.id}/edit", data={**GOOD, "category": "highest"})
    assert r.status_code == 302
    with platform_scope("check"):
        changes = {c.field: (c.old_value, c.new_value) for c in db.session.query(StaffChange).all()}
    assert changes["category"] == ("Первая квалификационная категория", "Высшая квалификационная категория")
    assert "История изменений" in client.get(f"/i/{inst.slug}/staff/{staff.id}").get_data(as_text=True)


def test_archived_teacher_leaves_the_list_but_keeps_history(app, client, login):
    inst = _curator(login)
    staff = make_staff(inst, last_name="Архивная")
    client.post(f"/i/{inst.slug}/staff/{staff.id}/archive")
    assert "Архивная" not in client.get(f"/i/{inst.slug}/staff/").get_data(as_text=True)
    assert "Архивная" in client.get(f"/i/{inst.slug}/staff/?archived=1").get_data(as_text=True)


def test_search_finds_by_surname_in_any_case(app, client, login):
    inst = _curator(login)
    make_staff(inst, last_name="Лебедева")
    make_staff(inst, last_name="Соколова")
    text = client.get(f"/i/{inst.slug}/staff/?q=лебед", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Лебедева" in text and "Соколова" not in text and "<html" not in text


def test_list_is_paginated(app, client, login):
    inst = _curator(login)
    for i in range(30):
        make_staff(inst, last_name=f"Пагинова{i:02d}")
    first = client.get(f"/i/{inst.slug}/staff/").get_data(as_text=True)
    second = client.get(f"/i/{inst.slug}/staff/?page=2").get_data(as_text=True)
    assert "Всего: 30" in first and first.count("Пагинова") == 25 and second.count("Пагинова") == 5


def test_young_specialist_is_derived_from_age_and_experience():
    today = date(2024, 1, 10)
    young = Staff(pedagogical_start=date(2022, 9, 1), birth_date=date(2000, 5, 5))
    old_start = Staff(pedagogical_start=date(2019, 9, 1), birth_date=date(2000, 5, 5))
    older = Staff(pedagogical_start=date(2023, 9, 1), birth_date=date(1980, 5, 5))
    manual = Staff(pedagogical_start=date(2010, 9, 1), young_specialist_manual=True)
    assert young.is_young_specialist(today) and manual.is_young_specialist(today)
    assert not old_start.is_young_specialist(today) and not older.is_young_specialist(today)


def test_export_xlsx_has_the_list_with_russian_headers(app, client, login):
    inst = _curator(login)
    make_staff(inst, last_name="Выгрузкина", pedagogical_start=date(2015, 9, 1))
    r = client.get(f"/i/{inst.slug}/staff/export.xlsx")
    ws = load_workbook(io.BytesIO(r.data)).active
    assert ws["A1"].value == "Фамилия" and ws["A2"].value == "Выгрузкина"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref


def test_reading_a_card_is_audited_without_personal_data(app, client, login):
    inst = _curator(login)
    staff = make_staff(inst, last_name="Аудитова")
    client.get(f"/i/{inst.slug}/staff/{staff.id}")
    event = db.session.query(AuditEvent).filter_by(action="read", object_type="staff").one()
    assert event.object_id == staff.id and event.institution_id == inst.id and "Аудитова" not in event.detail


def test_coordinator_reads_but_cannot_edit(app, client, login):
    inst = make_institution()
    staff = make_staff(inst)
    login(make_user((Role.COORDINATOR, inst.municipality)))
    assert client.get(f"/i/{inst.slug}/staff/{staff.id}").status_code == 200
    assert client.post(f"/i/{inst.slug}/staff/{staff.id}/edit", data=GOOD).status_code == 403


def test_mentor_has_no_access_to_the_registry(app, client, login):
    inst = make_institution()
    login(make_user((Role.MENTOR, inst)))
    assert client.get(f"/i/{inst.slug}/staff/").status_code == 403


def test_injected_institution_id_is_ignored(app, client, login):
    inst, other = make_institution(), make_institution()
    _curator(login, inst)
    client.post(f"/i/{inst.slug}/staff/new", data={**GOOD, "institution_id": other.id})
    with platform_scope("check"):
        assert {s.institution_id for s in db.session.query(Staff).all()} == {inst.id}


def test_linking_an_account_that_does_not_exist_is_refused(app, client, login):
    inst = _curator(login)
    staff = make_staff(inst)
    r = client.post(f"/i/{inst.slug}/staff/{staff.id}/account", data={"user_email": "nobody@x.ru"})
    assert r.status_code == 422 and "не найдена" in r.get_data(as_text=True)


@pytest.mark.parametrize("as_of", [date(2023, 3, 31), date(2024, 2, 29), date(2023, 2, 28), date(2023, 1, 1),
                                   date(2025, 12, 31)])
def test_young_specialist_rule_in_sql_matches_the_rule_in_python(app, as_of):
    """The aggregation counts young specialists in SQL: the same answer as Staff.is_young_specialist, to the day
    (the 36th month of experience, the 35th birthday, 29 February, the manual flag either way)."""
    from datetime import timedelta

    from tenants.context import institution_scope

    inst = make_institution()
    starts = [as_of - timedelta(days=d) for d in (0, 1, 364, 1094, 1095, 1096, 1097, 1100, 1130)] + [None]
    births = [None, as_of.replace(year=as_of.year - 35, day=min(as_of.day, 28)), date(as_of.year - 35, 3, 1),
              date(as_of.year - 35, as_of.month, 1), date(as_of.year - 34, 12, 31), date(as_of.year - 36, 1, 1)]
    births += [as_of - timedelta(days=d) for d in (12782, 12783, 12784, 12785, 12786)]
    with platform_scope("fixture"):
        db.session.add_all(Staff(institution_id=inst.id, last_name="Иванова", first_name="Мария", position="vospitatel",
                                 pedagogical_start=start, birth_date=birth, young_specialist_manual=manual)
                           for start in starts for birth in births for manual in (None, True, False))
        db.session.commit()
    with institution_scope(inst.id):
        in_sql = set(db.session.execute(db.select(Staff.id).where(Staff.young_specialist_clause(as_of))).scalars())
        in_python = {s.id for s in db.session.execute(db.select(Staff)).scalars() if s.is_young_specialist(as_of)}
    assert in_sql == in_python and 0 < len(in_python) < len(starts) * len(births) * 3
