"""The person picker: typing a surname suggests the institution's current staff (never another institution's,
never the archived, never those already chosen); the forms of pairs, orders and contest entries use it instead of
a multiple select of every name."""
from __future__ import annotations

from datetime import datetime

from tenants.access import Role
from tests.factories import make_institution, make_staff, make_user


def _suggest(client, inst, q, name="mentor_ids", chosen=()):
    query = "&".join([f"q={q}", f"name={name}"] + [f"{name}={c}" for c in chosen])
    r = client.get(f"/i/{inst.slug}/staff/suggest?{query}", headers={"HX-Request": "true"})
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_typing_a_surname_suggests_the_institutions_staff_to_tick(app, client, login):
    inst = make_institution()
    one = make_staff(inst, last_name="Гречишкина", first_name="Алла")
    make_staff(inst, last_name="Одуванчикова")
    login(make_user((Role.CURATOR, inst)))
    page = _suggest(client, inst, "греч")
    assert f'name="mentor_ids" value="{one.id}"' in page and "Гречишкина Алла" in page
    assert "Одуванчикова" not in page
    assert "Гречишкина" in _suggest(client, inst, "Гре")


def test_suggestions_never_show_another_institutions_or_archived_staff(app, client, login):
    inst, other = make_institution(), make_institution()
    make_staff(other, last_name="Гречишкина")
    make_staff(inst, last_name="Гречишкина", archived_at=datetime(2025, 1, 1))
    login(make_user((Role.CURATOR, inst)))
    assert "Никого не нашлось по «Греч»" in _suggest(client, inst, "Греч")


def test_a_person_already_chosen_is_not_suggested_again(app, client, login):
    inst = make_institution()
    one, two = make_staff(inst, last_name="Гречишкина"), make_staff(inst, last_name="Гречанова")
    login(make_user((Role.CURATOR, inst)))
    page = _suggest(client, inst, "Греч", chosen=[one.id])
    assert f'value="{two.id}"' in page and f'value="{one.id}"' not in page


def test_a_mentor_may_not_search_the_staff(app, client, login):
    inst = make_institution()
    login(make_user((Role.MENTOR, inst)))
    assert client.get(f"/i/{inst.slug}/staff/suggest?q=Гре").status_code == 403


def test_the_pair_form_picks_people_by_surname_instead_of_a_list_of_every_name(app, client, login):
    inst = make_institution()
    for n in range(12):
        make_staff(inst, last_name=f"Сотрудникова{n}")
    login(make_user((Role.CURATOR, inst)))
    page = client.get(f"/i/{inst.slug}/mentoring/groups").get_data(as_text=True)
    assert 'id="f-mentor_ids-search"' in page and 'id="f-mentee_ids-search"' in page
    assert "Ctrl" not in page and 'name="mentor_ids" multiple' not in page
    assert "Сотрудникова11" not in page.split('id="group-form"')[1].split("</form>")[0]
