"""Rules of banks, pairs and groups, matching, orders and acknowledgements (seed §2–§6), each named after it."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from docx import Document

from portal.errors import Forbidden, Invalid
from portal.extensions import db
from portal.mentoring import banks, groups, matching, order_drafting, orders
from portal.mentoring.models import MentoringGroup, Order
from portal.mentoring.order_docx import mentee_tenure, render_order
from portal.mentoring.states import DEFAULT_FORMS, FORMS_ORDER, PARTNER_FORMS, GroupState
from portal.notifications.models import Notification
from portal.staff.dictionaries import Category
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tests.factories import make_group, make_institution, make_staff, make_user


def _form_id():
    return banks.forms()[0].id


def _propose(inst, mentors, mentees, **extra):
    data = {"mentor_ids": [s.id for s in mentors], "mentee_ids": [s.id for s in mentees], "form_id": _form_id(),
            "format": "in_person", "start_date": "01.09.2024", **extra}
    return groups.form_group(inst, data, None)


def test_nine_forms_of_mentoring_are_seeded_and_an_institution_adds_its_own(app):
    inst = make_institution()
    with institution_scope(inst.id):
        # The nine of seed §2.3 first (FORMS_ORDER), then its two forms with outside participants.
        assert [f.name for f in banks.forms()] == FORMS_ORDER and sorted(FORMS_ORDER) == sorted(DEFAULT_FORMS + PARTNER_FORMS)
        assert len(DEFAULT_FORMS) == 9
        banks.add_form("Флеш-наставничество")
        with pytest.raises(Invalid, match="уже есть"):
            banks.add_form("флеш-наставничество")
        assert [f.name for f in banks.forms()][-1] == "Флеш-наставничество" and len(banks.forms()) == 12
    with institution_scope(make_institution().id):
        assert len(banks.forms()) == 11  # another institution's own form is not shared


def test_forms_are_listed_traditional_first_then_in_the_seed_order_then_the_institutions_own(app):
    inst = make_institution()
    with institution_scope(inst.id):
        banks.add_form("Авторская форма")
        names = [f.name for f in banks.forms()]
    assert names[0].startswith("Традиционная")
    assert names[1:9] == [f for f in DEFAULT_FORMS if not f.startswith("Традиционная")]
    assert names[9:11] == PARTNER_FORMS
    assert names[11:] == ["Авторская форма"]


def test_no_load_limit_by_default_one_mentor_takes_three_mentees(app):
    inst = make_institution()
    mentor = make_staff(inst, category=Category.HIGHEST)
    with institution_scope(inst.id):
        assert inst.mentor_capacity is None
        _propose(inst, [mentor], [make_staff(inst) for _ in range(3)])
        assert groups.current_mentee_count(mentor.id) == 3


def test_a_load_limit_set_by_the_institution_is_a_warning_the_curator_confirms(app):
    inst = make_institution()
    with platform_scope("setup"):
        inst.mentor_capacity = 2
        db.session.commit()
    mentor = make_staff(inst, category=Category.HIGHEST)
    a, b, c = (make_staff(inst) for _ in range(3))
    with institution_scope(inst.id):
        _propose(inst, [mentor], [a, b])
        with pytest.raises(Invalid) as exc:
            _propose(inst, [mentor], [c])
        assert "будет наставляемых: 3, а лимит — 2" in exc.value.fields["confirm_over_limit"]
        assert "Настройки организации" in exc.value.fields["confirm_over_limit"]
        assert db.session.query(MentoringGroup).count() == 1
        _propose(inst, [mentor], [c], confirm_over_limit="on")
        assert db.session.query(MentoringGroup).count() == 2


def test_capacity_is_an_institution_setting_and_a_profile_may_override_it(app):
    inst = make_institution()
    with platform_scope("setup"):
        inst.mentor_capacity = 3
        db.session.commit()
    mentor = make_staff(inst)
    mentees = [make_staff(inst) for _ in range(4)]
    with institution_scope(inst.id):
        _propose(inst, [mentor], mentees[:3])
        with pytest.raises(Invalid):
            _propose(inst, [mentor], mentees[3:])
        banks.save_mentor({"staff_id": mentor.id, "capacity": "4", "competencies": ["planning"]})
        _propose(inst, [mentor], mentees[3:])


def test_a_mentee_is_in_one_live_group_only(app):
    inst = make_institution()
    mentee = make_staff(inst)
    with institution_scope(inst.id):
        _propose(inst, [make_staff(inst)], [mentee])
        with pytest.raises(Invalid, match="уже в паре"):
            _propose(inst, [make_staff(inst)], [mentee])


def test_group_form_bad_input_reports_every_field_and_saves_nothing(app):
    inst = make_institution()
    with institution_scope(inst.id):
        with pytest.raises(Invalid) as exc:
            groups.form_group(inst, {"mentor_ids": [], "mentee_ids": [], "form_id": "", "format": "по телефону",
                                     "start_date": "31.02.2024", "end_date": "x"}, None)
        assert set(exc.value.fields) >= {"mentor_ids", "mentee_ids", "form_id", "format", "start_date", "end_date"}
        assert db.session.query(MentoringGroup).count() == 0


def test_group_states_follow_the_machine_with_reason_who_and_when(app):
    inst = make_institution()
    user = make_user((Role.CURATOR, inst))
    with institution_scope(inst.id):
        group = _propose(inst, [make_staff(inst)], [make_staff(inst)])
        with pytest.raises(Invalid, match="Нельзя перевести"):
            groups.change_state(group, GroupState.COMPLETED, "", user.id)
        groups.change_state(group, GroupState.APPROVED, "Приказ № 1", user.id)
        with pytest.raises(Invalid, match="причину"):
            groups.change_state(group, GroupState.TERMINATED, " ", user.id)
        groups.change_state(group, GroupState.TERMINATED, "Увольнение наставника", user.id)
        history = groups.history(group)
        assert [(h.from_state, h.to_state) for h in history] == [
            ("", "proposed"), ("proposed", "approved"), ("approved", "terminated")]
        assert history[-1].actor_id == user.id and history[-1].reason == "Увольнение наставника"
        assert group.end_date == date.today()


def test_group_becomes_active_only_with_written_consent_of_each_participant(app):
    inst = make_institution()
    with institution_scope(inst.id):
        group = _propose(inst, [make_staff(inst)], [make_staff(inst)])
        groups.change_state(group, GroupState.APPROVED, "Приказ", None)
        with pytest.raises(Invalid, match="согласия"):
            groups.change_state(group, GroupState.ACTIVE, "", None)
        for m in group.members:
            groups.record_consent(group, m.id, "02.09.2024")
        with pytest.raises(Invalid, match="не позже сегодняшней"):
            groups.record_consent(group, group.members[0].id, (date.today() + timedelta(days=1)).strftime("%d.%m.%Y"))
        groups.change_state(group, GroupState.ACTIVE, "", None)
        assert group.state is GroupState.ACTIVE


def test_matching_ranks_by_coverage_of_difficulties_and_says_why(app):
    inst = make_institution()
    mentee = make_staff(inst)
    strong = make_staff(inst, last_name="Берёзова", category=Category.FIRST)
    weak = make_staff(inst, last_name="Абрамова", category=Category.HIGHEST)
    full = make_staff(inst, last_name="Васильева", category=Category.HIGHEST)
    with institution_scope(inst.id):
        banks.save_mentor({"staff_id": strong.id, "competencies": ["planning", "methods"]})
        banks.save_mentor({"staff_id": weak.id, "competencies": ["planning"]})
        banks.save_mentor({"staff_id": full.id, "competencies": ["planning", "methods"], "capacity": "1"})
        _propose(inst, [full], [make_staff(inst)])
        need = banks.save_need({"staff_id": mentee.id, "category": "young_specialist",
                                "difficulties": ["planning", "methods"]})
        ranked = matching.suggest(need, inst)
        assert [s.profile.staff_id for s in ranked] == [strong.id, weak.id]  # no places left: not suggested
        assert "покрывает 2 из 2 затруднений" in ranked[0].reasons[0]
        assert "покрывает 1 из 2" in ranked[1].reasons[0] and "без ограничения числа наставляемых" in ranked[1].reasons


def test_bank_refuses_a_duplicate_and_a_need_without_difficulties(app):
    inst = make_institution()
    staff = make_staff(inst)
    with institution_scope(inst.id):
        banks.save_mentor({"staff_id": staff.id})
        with pytest.raises(Invalid, match="уже в банке"):
            banks.save_mentor({"staff_id": staff.id})
        with pytest.raises(Invalid) as exc:
            banks.save_need({"staff_id": make_staff(inst).id, "category": "young_specialist"})
        assert "difficulties" in exc.value.fields


# --- orders -----------------------------------------------------------------------------------------------------

def _order(inst, group, **extra):
    data = {"kind": "pairs", "number": "333-0", "issued_on": "21.11.2024", "title": "О наставничестве",
            "preamble": "В целях повышения эффективности работы с молодыми специалистами",
            "items": "Утвердить список наставников и наставляемых.\nКонтроль оставляю за собой.",
            "group_ids": [group.id], **extra}
    return order_drafting.save_order(data, inst)


def test_order_on_pairs_needs_a_pair_and_a_unique_number(app):
    inst = make_institution()
    group = make_group(inst, state=GroupState.PROPOSED)
    with institution_scope(inst.id):
        with pytest.raises(Invalid) as exc:
            order_drafting.save_order({"kind": "pairs", "number": "", "issued_on": "32.01.2024", "title": "",
                                       "items": ""}, inst)
        assert set(exc.value.fields) >= {"number", "issued_on", "items", "group_ids"}
        _order(inst, group)
        with pytest.raises(Invalid, match="номером и датой"):
            _order(inst, group)
        assert db.session.query(Order).count() == 1


def test_issuing_the_order_approves_its_pairs_and_asks_everyone_to_acknowledge(app):
    inst = make_institution()
    user = make_user((Role.MENTEE, inst))
    mentee = make_staff(inst, user_id=user.id)
    group = make_group(inst, mentees=[mentee], state=GroupState.PROPOSED)
    with institution_scope(inst.id), app.test_request_context():
        row = _order(inst, group, ack_due="25.11.2024")
        assert {a.staff_id for a in row.acknowledgements} == {m.staff_id for m in group.members}
        orders.issue_checked(row, None)
        assert db.session.get(MentoringGroup, group.id).state is GroupState.APPROVED
        with pytest.raises(Invalid, match="уже издан"):
            orders.issue_checked(row, None)
        with pytest.raises(Invalid, match="Изданный приказ не меняется"):
            order_drafting.save_order({"kind": "pairs", "number": "1", "issued_on": "21.11.2024", "title": "Х",
                                       "items": "х", "group_ids": [group.id]}, inst, row)
    kinds = {n.kind for n in db.session.query(Notification).filter_by(user_id=user.id)}
    assert kinds == {"acknowledgement_due", "assignment"}


def test_acknowledgement_default_deadline_is_three_days_after_the_order(app):
    inst = make_institution()
    group = make_group(inst, state=GroupState.PROPOSED)
    with institution_scope(inst.id):
        row = _order(inst, group)
        assert {a.due_date for a in row.acknowledgements} == {date(2024, 11, 24)}


def test_a_person_acknowledges_only_with_their_own_button(app):
    inst = make_institution()
    me, other = make_user((Role.MENTEE, inst)), make_user((Role.MENTEE, inst))
    mentee = make_staff(inst, user_id=me.id)
    group = make_group(inst, mentees=[mentee], state=GroupState.PROPOSED)
    with institution_scope(inst.id), app.test_request_context():
        row = _order(inst, group)
        mine = next(a for a in row.acknowledgements if a.staff_id == mentee.id)
        with pytest.raises(Invalid, match="ещё не издан"):
            orders.acknowledge(mine.id, me)
        orders.issue_checked(row, None)
        with pytest.raises(Forbidden):
            orders.acknowledge(mine.id, other)
        assert orders.acknowledge(mine.id, me).acknowledged_at is not None


def test_overdue_acknowledgement_is_visible_and_a_paper_signature_closes_it(app):
    inst = make_institution()
    group = make_group(inst, state=GroupState.PROPOSED)
    with institution_scope(inst.id), app.test_request_context():
        row = _order(inst, group, ack_due="25.11.2024")
        orders.issue_checked(row, None)
        ack = row.acknowledgements[0]
        assert orders.is_overdue(ack, date(2024, 11, 26)) and not orders.is_overdue(ack, date(2024, 11, 25))
        with pytest.raises(Invalid, match="в будущем"):
            orders.record_paper_signature(ack.id, 1, (date.today() + timedelta(days=2)).strftime("%d.%m.%Y"))
        orders.record_paper_signature(ack.id, None, "24.11.2024")
        assert ack.on_paper and not orders.is_overdue(ack, date(2030, 1, 1))


def test_curator_sees_overdue_acknowledgements_on_the_order_page(app, client, login):
    inst = make_institution()
    group = make_group(inst, state=GroupState.PROPOSED)
    with institution_scope(inst.id), app.test_request_context():
        row = _order(inst, group, ack_due="25.11.2024")
        orders.issue_checked(row, None)
    login(make_user((Role.CURATOR, inst)))
    page = client.get(f"/i/{inst.slug}/mentoring/orders/{row.id}").get_data(as_text=True)
    assert page.count("table-danger") == 2 and "просрочено" not in page.split("ack-list")[0]


def test_mentee_sees_only_orders_addressed_to_them(app, client, login):
    inst = make_institution()
    user = make_user((Role.MENTEE, inst))
    group = make_group(inst, state=GroupState.PROPOSED)
    with institution_scope(inst.id):
        row = _order(inst, group)
    login(user)
    assert client.get(f"/i/{inst.slug}/mentoring/orders/{row.id}").status_code == 404


# --- the order as DOCX ------------------------------------------------------------------------------------------

def test_tenure_column_is_computed_as_of_the_orders_date_and_young_specialist_only_where_no_figure_is_known():
    class Staff:
        institution_start, pedagogical_start, young_specialist_manual = date(2021, 9, 1), None, None

    class Member:
        staff, stated_tenure = Staff, ""

    assert mentee_tenure(Member, date(2022, 8, 31)) == "11 мес"        # not «less than a year in the institution»
    assert mentee_tenure(Member, date(2022, 12, 1)) == "1 год 3 мес"
    Staff.institution_start = date(2020, 9, 15)
    assert mentee_tenure(Member, date(2022, 11, 21)) == "2 года 2 мес"
    Staff.institution_start, Staff.young_specialist_manual, Member.stated_tenure = None, True, "Молодой специалист"
    assert mentee_tenure(Member, date(2022, 11, 21)) == "Молодой специалист"


def test_order_docx_has_the_seed_layout_and_appendix(app):
    inst = make_institution()
    mentor = make_staff(inst, last_name="Соколова", first_name="Анна", middle_name="Викторовна",
                        category=Category.HIGHEST)
    m1 = make_staff(inst, last_name="Кравцова", first_name="Ирина", middle_name="Олеговна",
                    institution_start=date(2022, 9, 1))
    m2 = make_staff(inst, last_name="Белова", first_name="Ольга", middle_name="Сергеевна",
                    institution_start=date(2021, 8, 15))
    g1 = make_group(inst, mentors=[mentor], mentees=[m1], state=GroupState.PROPOSED)
    g2 = make_group(inst, mentors=[mentor], mentees=[m2], state=GroupState.PROPOSED)
    with institution_scope(inst.id):
        row = _order(inst, g1, group_ids=[g1.id, g2.id], signer_position="Заведующий", signer_name="А.Б. Кузнецова")
        doc = Document(io.BytesIO(render_order(row, inst)))
    text = [p.text for p in doc.paragraphs]
    assert text[0] == inst.full_name.upper() and text[1] == "П Р И К А З"
    assert doc.tables[0].cell(0, 0).text == "21.11.2024" and doc.tables[0].cell(0, 1).text == "№ 333-0"
    assert "О наставничестве" in text and "ПРИКАЗЫВАЮ:" in text
    assert "1. Утвердить список наставников и наставляемых." in text
    assert any(t.startswith("С приказом ознакомлены") for t in text)
    assert f"Список наставников и наставляемых {inst.short_name}" in text and "на 2024-2025 учебный год" in text
    table = doc.tables[-1]
    assert [c.text for c in table.rows[0].cells] == [
        "№", "Ф.И.О. наставника", "Квалификационная категория наставников", "Ф.И.О. наставляемого",
        f"Стаж педагогической работы наставляемого в {inst.short_name}"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    # The mentor's name once over the rows of her mentees (merged cell), mentees in the order of the list.
    assert rows == [["1", "Соколова Анна Викторовна", "высшая квалификационная категория", "Кравцова Ирина Олеговна",
                     "2 года 2 мес"],
                    ["2", "Соколова Анна Викторовна", "высшая квалификационная категория", "Белова Ольга Сергеевна",
                     "3 года 3 мес"]]
    assert table.rows[1].cells[1]._tc is table.rows[2].cells[1]._tc


def test_order_docx_download_is_a_docx(app, client, login):
    inst = make_institution()
    group = make_group(inst, state=GroupState.PROPOSED)
    with institution_scope(inst.id):
        row = _order(inst, group)
    login(make_user((Role.HEAD, inst)))
    r = client.get(f"/i/{inst.slug}/mentoring/orders/{row.id}/order.docx")
    assert r.status_code == 200 and r.mimetype.endswith("wordprocessingml.document")
    assert "П Р И К А З" in [p.text for p in Document(io.BytesIO(r.data)).paragraphs]


# --- pages -------------------------------------------------------------------------------------------------------

def test_curator_forms_a_pair_over_the_web_and_confirms_a_limit_warning(app, client, login):
    inst = make_institution()
    with platform_scope("setup"):
        inst.mentor_capacity = 2
        db.session.commit()
    login(make_user((Role.CURATOR, inst)))
    mentor = make_staff(inst)
    mentees = [make_staff(inst) for _ in range(3)]
    with institution_scope(inst.id):
        form_id = _form_id()
    data = {"mentor_ids": [mentor.id], "mentee_ids": [m.id for m in mentees], "form_id": form_id,
            "format": "blended", "start_date": "01.09.2024"}
    r = client.post(f"/i/{inst.slug}/mentoring/groups", data=data, headers={"HX-Request": "true"})
    assert r.status_code == 422 and "будет наставляемых: 3, а лимит — 2" in r.get_data(as_text=True)
    assert "Подтверждаю превышение лимита" in r.get_data(as_text=True)
    r = client.post(f"/i/{inst.slug}/mentoring/groups", data={**data, "confirm_over_limit": "on"})
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert mentor.full_name in page and "Предложена" in page


def test_draft_order_is_edited_and_an_issued_one_is_not(app, client, login):
    inst = make_institution()
    login(make_user((Role.CURATOR, inst)))
    group = make_group(inst, state=GroupState.PROPOSED)
    with institution_scope(inst.id):
        row = _order(inst, group)
    edit = {"kind": "pairs", "number": "340-0", "issued_on": "22.11.2024", "title": "О наставничестве",
            "items": "Утвердить список.", "group_ids": [group.id]}
    assert client.post(f"/i/{inst.slug}/mentoring/orders/{row.id}/edit", data=edit).status_code == 302
    assert client.post(f"/i/{inst.slug}/mentoring/orders/{row.id}/edit", data={**edit, "number": ""}).status_code == 422
    with institution_scope(inst.id):
        assert db.session.get(Order, row.id).number == "340-0"
    assert client.post(f"/i/{inst.slug}/mentoring/orders/{row.id}/issue").status_code == 403  # no delegation
    login(make_user((Role.HEAD, inst)))
    assert client.post(f"/i/{inst.slug}/mentoring/orders/{row.id}/issue").status_code == 302
    r = client.post(f"/i/{inst.slug}/mentoring/orders/{row.id}/edit", data={**edit, "number": "1"})
    assert r.status_code == 422
    with institution_scope(inst.id):
        assert db.session.get(Order, row.id).number == "340-0"


def test_states_sharing_a_value_keep_their_own_labels():
    from portal.mentoring.states import PlanItemStatus, ProgramState

    assert (GroupState.ACTIVE.label, ProgramState.ACTIVE.label) == ("Работает", "Реализуется")
    assert (GroupState.APPROVED.label, ProgramState.APPROVED.label) == ("Утверждена приказом", "Утверждена")
    assert PlanItemStatus.OVERDUE.label == "Просрочено"
