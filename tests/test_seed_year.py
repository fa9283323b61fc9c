"""The seed's year replayed through the services, in invented names and the seed's shapes: the list imports with the
defaults, the order №…-0 with items 1.–4. and sub-items 1.1.–2.3., two appendices and five acknowledgers reads
back from its DOCX, issuing waits for written consent, the year closes and carries a program over, and the annual
report goes to the city and back."""
from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from portal.exceptions import Forbidden, Invalid
from portal.extensions import db
from portal.local_acts import services as acts
from portal.mentoring import order_drafting, orders, signing
from portal.mentoring.importer import ImportOptions, import_groups
from portal.mentoring.models import MentoringGroup, Order
from portal.mentoring.order_docx import render_order
from portal.mentoring.states import GroupState, OrderKind
from portal.staff.models import Staff
from tenants.access import INSTITUTION_CURATORS, INSTITUTION_HEADS
from tenants.context import institution_scope
from tests import seed_year as seed

TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context("/"):  # issuing notifies with links to the order
        yield


def _import(inst, **options):
    return import_groups(inst, "список.docx", seed.list_docx(), None, today=TODAY,
                         options=ImportOptions(**options) if options else None)


def _staff(last_name: str) -> Staff:
    return db.session.execute(db.select(Staff).where(Staff.last_name == last_name)).scalar_one()


def _draft(inst, deputy, group_ids, regulation_version_id):
    data = {"kind": "mentoring", "number": seed.ORDER_NUMBER, "issued_on": "21.11.2022", "title": "",
            "preamble": seed.PREAMBLE, "items": seed.ITEMS, "group_ids": group_ids,
            "appendices": [{"kind": "local_act", "act_version_id": regulation_version_id}, {"kind": "group_list"}]}
    row = order_drafting.save_order(data, inst)
    for number, _depth, item in order_items_numbered(row):
        if number.startswith("2."):
            order_drafting.set_item(row, item.id, {"responsible_staff_id": str(deputy.id)})
    return row


def order_items_numbered(row):
    from portal.mentoring.order_items import numbered

    return numbered(row.items)


def _consent_all(group, day="18.11.2022"):
    from portal.mentoring.groups import record_consent

    for m in group.members:
        record_consent(group, m.id, day)


def test_seed_list_imports_with_the_defaults_into_a_new_institution_twice_without_duplicates(app):
    inst, *_ = seed.make_kindergarten()
    with institution_scope(inst.id):
        first = _import(inst)
        again = _import(inst)
        assert (first.groups_created, first.staff_created) == (1, 4)
        assert (again.groups_created, again.staff_created, again.pairs_unchanged) == (0, 0, 3)
        group = db.session.execute(db.select(MentoringGroup)).scalar_one()
        assert [m.staff.full_name for m in group.mentees] == seed.MENTEES   # the order of the file
        assert group.mentors[0].staff.full_name == seed.MENTOR and group.state is GroupState.PROPOSED


def test_the_lists_tenure_is_read_as_of_the_lists_date_and_kept(app):
    inst, *_ = seed.make_kindergarten()
    with institution_scope(inst.id):
        _import(inst, list_date=seed.ORDER_DATE)
        gusejnova, alieva, hajrullina = _staff("Гусейнова"), _staff("Алиева"), _staff("Хайруллина")
        assert gusejnova.pedagogical_start == date(2021, 8, 21) and alieva.pedagogical_start == date(2020, 9, 21)
        assert hajrullina.pedagogical_start is None and hajrullina.young_specialist_manual is True
        group = db.session.execute(db.select(MentoringGroup)).scalar_one()
        assert [m.stated_tenure for m in group.mentees] == seed.TENURE
        assert {m.stated_on for m in group.mentees} == {seed.ORDER_DATE}


def test_young_specialist_follows_the_design_rule_not_a_year_in_the_institution(app):
    inst, *_ = seed.make_kindergarten()
    with institution_scope(inst.id):
        _import(inst, list_date=seed.ORDER_DATE)
        # pedagogical experience under three years (the birth date unknown), or set by hand
        assert all(_staff(n).is_young_specialist(seed.ORDER_DATE) for n in ("Хайруллина", "Гусейнова", "Алиева"))
        assert not _staff("Алиева").is_young_specialist(date(2023, 9, 22))


def test_initials_keep_every_part_of_an_oglu_or_gyzy_patronymic(app):
    inst, *_ = seed.make_kindergarten()
    with institution_scope(inst.id):
        _import(inst)
        assert _staff("Гусейнова").short_name == "Гусейнова А. Э. Г."
        assert _staff("Алиева").short_name == "Алиева М. Р."
        assert _staff("Соколова").signature_name == "И. П. Соколова"


def test_a_pair_approved_by_an_order_starts_on_its_date_in_its_academic_year(app):
    inst, *_ = seed.make_kindergarten()
    with institution_scope(inst.id):
        result = _import(inst, order_number=seed.ORDER_NUMBER, order_date=seed.ORDER_DATE, academic_year=seed.YEAR)
        group = result.groups[0]
        assert (group.start_date, group.academic_year) == (seed.ORDER_DATE, seed.YEAR)
        assert result.order_drafted and result.order.number == seed.ORDER_NUMBER
        assert [g.id for g in result.order.groups] == [group.id]
        assert _import(inst, order_number=seed.ORDER_NUMBER, order_date=seed.ORDER_DATE).pairs_unchanged == 3
        assert db.session.query(Order).count() == 1


def test_a_limit_set_by_the_institution_warns_and_says_where_it_is_changed(app):
    inst, *_ = seed.make_kindergarten(mentor_capacity=2)
    with institution_scope(inst.id):
        with pytest.raises(Invalid) as exc:
            _import(inst)
        assert "лимит — 2" in exc.value.fields["confirm_over_limit"]
        assert "«Настройки организации» → «Наставляемых на одного наставника»" in exc.value.fields["confirm_over_limit"]
        assert _import(inst, confirm_over_limit=True).groups_created == 1


def test_a_list_an_issued_order_approved_is_never_blocked_by_a_limit(app):
    inst, head, *_ = seed.make_kindergarten(mentor_capacity=1)
    with institution_scope(inst.id):
        order = order_drafting.save_order({"kind": "other", "number": seed.ORDER_NUMBER, "issued_on": seed.ORDER_DATE,
                                           "title": "О наставничестве", "items": "1. Утвердить список."}, inst)
        orders.issue(order, head, INSTITUTION_HEADS)
        result = _import(inst, order=order)
        assert result.groups[0].state is GroupState.APPROVED and result.groups[0].start_date == seed.ORDER_DATE
        assert [g.id for g in order.groups] == [result.groups[0].id]


def test_order_items_are_a_tree_to_any_depth_with_due_dates_they_state(app):
    from portal.mentoring.order_items import parse

    tree = parse(seed.ITEMS + "\n4.1. Подпункт\n4.1.1. Под-подпункт", seed.YEAR)
    assert [n.text.split()[0] for n in tree] == ["Утвердить:", "Заместителю", "Назначить", "Контроль"]
    assert [len(n.children) for n in tree] == [2, 3, 0, 1]
    assert tree[3].children[0].children[0].text == "Под-подпункт"
    assert tree[1].children[0].due_date == date(2022, 11, 26) and tree[1].children[2].due_date == date(2023, 5, 15)
    with pytest.raises(Invalid, match="пункт 5.1 идёт без пункта 5"):
        parse("1. Один\n5.1. Сирота", seed.YEAR)


def test_the_order_reads_back_from_its_docx_item_by_item(app):
    inst, head, curator, deputy, _ = seed.make_kindergarten()
    with institution_scope(inst.id):
        regulation = acts.start_regulation(inst, None)
        group = _import(inst, list_date=seed.ORDER_DATE).groups[0]
        row = _draft(inst, deputy, [group.id], regulation.draft.id)
        doc = Document(io.BytesIO(render_order(row, inst)))
    text = [p.text for p in doc.paragraphs]
    numbers = [t.split()[0] for t in text if t[:1].isdigit() and t.split()[0].endswith(".")]
    assert numbers[:9] == ["1.", "1.1.", "1.2.", "2.", "2.1.", "2.2.", "2.3.", "3.", "4."]
    assert "2.1. Ознакомить наставника и наставляемых в срок до 26.11.2022 года" in "\n".join(text)
    assert text.index("ПРИКАЗЫВАЮ:") < text.index("С приказом ознакомлены:")
    assert seed.FULL_NAME.upper() in text and "О наставничестве" in text
    date_line, sign, acks, table = doc.tables[0], doc.tables[1], doc.tables[2], doc.tables[3]
    assert [c.text for c in date_line.rows[0].cells] == ["21.11.2022", f"№ {seed.ORDER_NUMBER}"]
    assert sign.rows[0].cells[0].text == f"Заведующий\n{seed.SHORT_NAME}" and sign.rows[0].cells[1].text == "И. П. Соколова"
    assert [r.cells[1].text for r in acks.rows[1:]] == ["Гарипова Л. А.", "Белова Т. А.", "Хайруллина Г. Р.",
                                                        "Гусейнова А. Э. Г.", "Алиева М. Р."]
    assert [c.text for c in acks.rows[0].cells] == ["№", "Ф.И.О.", "Срок", "Дата ознакомления", "Подпись"]
    assert {r.cells[2].text for r in acks.rows[1:]} == {"до 26.11.2022"}
    assert "Приложение 1" in text and "Приложение 2" in text and text.index("Приложение 1") < text.index("Приложение 2")
    assert "Положение о системе наставничества педагогических работников" in text
    assert "1. Общие положения" in text and "9. Заключительные положения" in text
    assert [r.cells[4].text for r in table.rows[1:]] == seed.TENURE   # as of the order's date
    assert {r.cells[1].text for r in table.rows[1:]} == {seed.MENTOR}   # one cell merged over three rows
    assert [r.cells[3].text for r in table.rows[1:]] == seed.MENTEES


def test_the_appendix_computes_tenure_as_of_the_orders_date_never_today(app):
    inst, head, curator, deputy, _ = seed.make_kindergarten()
    with institution_scope(inst.id):
        group = _import(inst, list_date=seed.ORDER_DATE).groups[0]
        later = order_drafting.save_order({"kind": "pairs", "number": "5-0", "issued_on": "21.02.2023",
                                           "items": "1. Утвердить список.", "group_ids": [group.id],
                                           "appendices": [{"kind": "group_list"}]}, inst)
        doc = Document(io.BytesIO(render_order(later, inst)))
    assert [r.cells[4].text for r in doc.tables[-1].rows[1:]] == ["Молодой специалист", "1 год 6 мес", "2 года 5 мес"]


def test_issuing_without_written_consent_is_refused_naming_each_participant(app):
    inst, head, curator, deputy, _ = seed.make_kindergarten()
    with institution_scope(inst.id):
        group = _import(inst).groups[0]
        row = order_drafting.save_order({"kind": "mentoring", "number": seed.ORDER_NUMBER, "issued_on": seed.ORDER_DATE,
                                         "items": seed.ITEMS, "group_ids": [group.id],
                                         "appendices": [{"kind": "group_list"}]}, inst)
        from portal.mentoring.groups import record_consent

        record_consent(group, group.members[0].id, "18.11.2022")
        record_consent(group, group.members[1].id, "25.11.2022")
        with pytest.raises(Invalid) as exc:
            orders.issue(row, head, INSTITUTION_HEADS)
        message = exc.value.message
        assert "нет письменного согласия" in message and "Белова" not in message
        assert "Хайруллина Г. Р. (согласие от 25.11.2022 — позже даты приказа)" in message
        assert "Гусейнова А. Э. Г." in message and "Алиева М. Р." in message
        assert row.issued_at is None and group.state is GroupState.PROPOSED


def test_the_curator_drafts_and_the_head_issues_or_delegates_issuing_explicitly(app):
    inst, head, curator, deputy, _ = seed.make_kindergarten()
    with institution_scope(inst.id):
        group = _import(inst).groups[0]
        _consent_all(group)
        row = order_drafting.save_order({"kind": "pairs", "number": "1-0", "issued_on": seed.ORDER_DATE,
                                         "items": "1. Утвердить список.", "group_ids": [group.id],
                                         "appendices": [{"kind": "group_list"}]}, inst)
        with pytest.raises(Forbidden, match="по поручению руководителя"):
            orders.issue(row, curator, INSTITUTION_CURATORS)
        delegation = signing.delegate(inst, curator.id, "приказ от 01.09.2022 № 120-0", head.id)
        orders.issue(row, curator, INSTITUTION_CURATORS)
        assert row.delegation_id == delegation.id and row.issued_by_id == curator.id
        assert group.state is GroupState.APPROVED and group.start_date == seed.ORDER_DATE


def test_issuing_approves_the_regulation_it_has_as_appendix_and_keeps_the_old_version(app):
    inst, head, curator, deputy, _ = seed.make_kindergarten()
    with institution_scope(inst.id):
        regulation = acts.start_regulation(inst, None)
        acts.record_approval(regulation.draft, {"order_number": "12-0", "order_date": "01.09.2021"})
        second = acts.new_version(regulation, None, "новая редакция")
        group = _import(inst).groups[0]
        _consent_all(group)
        row = _draft(inst, deputy, [group.id], second.id)
        orders.issue(row, head, INSTITUTION_HEADS)
        assert regulation.current.id == second.id and second.approving_order_id == row.id
        assert [v.approval_words for v in regulation.versions] == [
            "утверждено приказом от 01.09.2021 № 12-0", f"утверждено приказом от 21.11.2022 № {seed.ORDER_NUMBER}"]


def test_the_starting_regulation_has_the_seeds_sections_one_to_nine(app):
    inst, *_ = seed.make_kindergarten()
    with institution_scope(inst.id):
        draft = acts.start_regulation(inst, None).draft
        headings = [line for kind, line in acts.paragraphs(draft.text) if kind == "heading"]
        assert [h.split(".")[0] for h in headings] == [str(n) for n in range(1, 10)]
        assert headings[2] == "3. Организация системы наставничества" and seed.SHORT_NAME in draft.text
        assert "3.2. Педагогический работник назначается наставником с его письменного согласия" in draft.text


def test_the_signer_defaults_to_the_heads_position_and_name(app):
    inst, *_ = seed.make_kindergarten()
    with institution_scope(inst.id):
        assert signing.signer_defaults(inst) == (f"Заведующий\n{seed.SHORT_NAME}", "И. П. Соколова")
        row = order_drafting.save_order({"kind": "mentoring", "number": "1", "issued_on": seed.ORDER_DATE,
                                         "items": "1. Пункт"}, inst)
        assert row.title == "О наставничестве" and row.signer_name == "И. П. Соколова"
        assert order_drafting.DEFAULT_TITLES[OrderKind.MENTORING] == "О наставничестве"


def test_the_current_acts_appear_on_the_institutions_public_page_and_drafts_never(app, client):
    inst, *_ = seed.make_kindergarten()
    with institution_scope(inst.id):
        regulation = acts.start_regulation(inst, None)
        acts.record_approval(regulation.draft, {"order_number": "12-0", "order_date": "01.09.2021"})
        approved = regulation.current
        draft = acts.new_version(regulation, None, "новая редакция")
        city_slug = inst.municipality.slug
    page = client.get(f"/public/{city_slug}/{inst.slug}/")
    assert page.status_code == 200
    listed = page.get_data(as_text=True)
    assert "Положение о системе наставничества" in listed and "утверждено приказом от 01.09.2021 № 12-0" in listed
    assert f"/acts/{approved.id}" in listed and f"/acts/{draft.id}" not in listed
    assert client.get(f"/public/{city_slug}/{inst.slug}/acts/{approved.id}").status_code == 200
    assert client.get(f"/public/{city_slug}/{inst.slug}/acts/{draft.id}").status_code == 404
