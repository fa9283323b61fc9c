"""Personalized programs (ППН): the 3–12 months bound (seed §1.2), states, completion reasons (§7.1), changes by
mutual consent (§7.2), templates, plan items, evidence, the program as DOCX."""
from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from portal.errors import Forbidden, Invalid
from portal.extensions import db
from portal.mentoring.states import GroupState, PlanItemStatus, ProgramState
from portal.programs import services
from portal.programs.docx import PLAN_HEADER, render_program
from portal.programs.models import PlanItem, Program
from tenants.access import Role
from tenants.context import institution_scope
from tests.factories import make_group, make_institution, make_plan_item, make_program, make_staff, make_user

BASE = {"title": "Программа адаптации", "goal": "Адаптация к профессии"}


def _group(inst, state=GroupState.APPROVED, **kw):
    return make_group(inst, state=state, **kw)


def _create(group, start, end, template=None):
    return services.create_program(group, group.mentees[0].staff_id,
                                   {**BASE, "start_date": start, "end_date": end}, template)


@pytest.mark.parametrize("end, ok", [("30.11.2024", False), ("01.12.2024", True), ("01.09.2025", True),
                                     ("02.09.2025", False)])
def test_program_lasts_from_3_to_12_months(app, end, ok):
    inst = make_institution()
    group = _group(inst)
    with institution_scope(inst.id):
        if ok:
            assert _create(group, "01.09.2024", end).state is ProgramState.DRAFT
        else:
            with pytest.raises(Invalid) as exc:
                _create(group, "01.09.2024", end)
            assert "положение, п. 1.2" in exc.value.fields["end_date"]
            assert db.session.query(Program).count() == 0


def test_program_of_2_or_13_months_is_refused_over_the_web(app, client, login):
    inst = make_institution()
    group = _group(inst)
    login(make_user((Role.CURATOR, inst)))
    for end in ("01.11.2024", "01.10.2025"):
        r = client.post(f"/i/{inst.slug}/programs/new", data={
            **BASE, "pair": f"{group.id}:{group.mentees[0].staff_id}", "start_date": "01.09.2024", "end_date": end})
        assert r.status_code == 422
        assert "короче 3 месяцев" in r.get_data(as_text=True) or "длиннее 1 года" in r.get_data(as_text=True)
    with institution_scope(inst.id):
        assert db.session.query(Program).count() == 0


def test_program_only_for_a_pair_approved_by_order(app):
    inst = make_institution()
    group = _group(inst, state=GroupState.PROPOSED)
    with institution_scope(inst.id), pytest.raises(Invalid, match="утверждённой приказом"):
        _create(group, "01.09.2024", "01.06.2025")


def test_template_fills_the_program_and_its_plan(app):
    inst = make_institution()
    group = _group(inst)
    with institution_scope(inst.id):
        row = services.create_program(group, group.mentees[0].staff_id, {"start_date": "01.09.2024"}, "dou_young")
        assert row.title == "Адаптация молодого специалиста ДОУ" and row.end_date == date(2025, 6, 1)
        assert len(row.items) >= 3 and all(row.start_date <= it.due_date <= row.end_date for it in row.items)


def test_plan_item_due_date_inside_the_program(app):
    inst = make_institution()
    with institution_scope(inst.id):
        row = _create(_group(inst), "01.09.2024", "01.06.2025")
        with pytest.raises(Invalid) as exc:
            services.add_item(row, {"content": "Мастер-класс", "due_date": "02.06.2025"})
        assert "внутри периода" in exc.value.fields["due_date"]
        services.add_item(row, {"content": "Мастер-класс", "due_date": "01.06.2025", "form": "Мастер-класс"})
        assert len(row.items) == 1


def test_program_states_draft_approved_active_completed(app):
    inst = make_institution()
    group = _group(inst)
    with institution_scope(inst.id):
        row = _create(group, "01.09.2024", "01.06.2025")
        with pytest.raises(Invalid, match="хотя бы одно мероприятие"):
            services.change_state(row, ProgramState.APPROVED, None)
        services.add_item(row, {"content": "Консультация", "due_date": "15.09.2024"})
        with pytest.raises(Invalid, match="Нельзя перевести"):
            services.change_state(row, ProgramState.COMPLETED, None, "plan_done")
        services.change_state(row, ProgramState.APPROVED, None)
        services.change_state(row, ProgramState.ACTIVE, None)
        assert row.group.state is GroupState.ACTIVE  # the pair starts working with its program
        with pytest.raises(Invalid, match="План не выполнен"):
            services.change_state(row, ProgramState.COMPLETED, None, "plan_done")
        services.mark_done(row.items[0], "Проведена", make_user())
        services.change_state(row, ProgramState.COMPLETED, None, "plan_done")
        assert row.state is ProgramState.COMPLETED and row.completed_at == date.today()


def test_completion_needs_one_of_the_reasons_of_7_1_and_early_end_is_a_termination(app):
    inst = make_institution()
    with institution_scope(inst.id):
        row = make_program(_group(inst, state=GroupState.ACTIVE))
        row = db.session.get(Program, row.id)
        make_plan_item(row)
        with pytest.raises(Invalid, match="основание завершения"):
            services.change_state(row, ProgramState.COMPLETED, None, "")
        with pytest.raises(Invalid, match="обстоятельства"):
            services.change_state(row, ProgramState.COMPLETED, None, "participant_initiative", "")
        services.change_state(row, ProgramState.COMPLETED, None, "participant_initiative", "Переезд наставляемого")
        assert row.state is ProgramState.TERMINATED and row.completion_note == "Переезд наставляемого"


def test_extension_by_mutual_consent_applies_only_when_both_agree(app):
    inst = make_institution()
    mentor_user, mentee_user = make_user((Role.MENTOR, inst)), make_user((Role.MENTEE, inst))
    mentor, mentee = make_staff(inst, user_id=mentor_user.id), make_staff(inst, user_id=mentee_user.id)
    group = _group(inst, state=GroupState.ACTIVE, mentors=[mentor], mentees=[mentee])
    program = make_program(group, start=date(2024, 9, 1), months=6)
    with institution_scope(inst.id):
        row = db.session.get(Program, program.id)
        with pytest.raises(Invalid) as exc:
            services.propose_change(row, mentor_user, {Role.MENTOR}, "extension", "02.09.2025", "Продлить")
        assert "длиннее 1 года" in exc.value.fields["new_end_date"]
        change = services.propose_change(row, mentor_user, {Role.MENTOR}, "extension", "01.06.2025",
                                         "Продлить до конца учебного года")
        assert row.end_date == date(2025, 3, 1) and change.agreed_by_mentor and not change.agreed_by_mentee
        with pytest.raises(Forbidden):
            services.agree(change.id, row, make_user((Role.MENTEE, inst)))
        services.agree(change.id, row, mentee_user)
        assert row.end_date == date(2025, 6, 1)
        assert change.agreed_by_mentee == mentee.short_name and change.agreed_by_mentor == mentor.short_name


def test_approved_program_is_not_edited_directly(app):
    inst = make_institution()
    with institution_scope(inst.id):
        row = db.session.get(Program, make_program(_group(inst, state=GroupState.ACTIVE)).id)
        with pytest.raises(Invalid, match="обоюдному согласию"):
            services.update_program(row, {**BASE, "start_date": row.start_date, "end_date": row.end_date})


def test_overdue_items_are_marked_daily_and_idempotently(app):
    inst = make_institution()
    program = make_program(_group(inst, state=GroupState.ACTIVE), start=date(2024, 9, 1))
    late = make_plan_item(program, due=date(2024, 10, 1))
    make_plan_item(program, due=date(2024, 12, 1))
    with institution_scope(inst.id):
        assert services.mark_overdue(date(2024, 11, 1)) == 1
        assert services.mark_overdue(date(2024, 11, 1)) == 0
        assert db.session.get(PlanItem, late.id).status is PlanItemStatus.OVERDUE


def test_mentee_marks_own_item_done_with_evidence_inline(app, client, login):
    inst = make_institution()
    user = make_user((Role.MENTEE, inst))
    mentee = make_staff(inst, user_id=user.id)
    program = make_program(_group(inst, state=GroupState.ACTIVE, mentees=[mentee]))
    item = make_plan_item(program)
    login(user)
    pdf = (io.BytesIO(b"%PDF-1.4\n% test\n"), "отчёт.pdf")
    r = client.post(f"/i/{inst.slug}/programs/{program.id}/items/{item.id}/done",
                    data={"note": "Провела занятие", "evidence": pdf}, headers={"HX-Request": "true"},
                    content_type="multipart/form-data")
    text = r.get_data(as_text=True)
    assert r.status_code == 200 and text.lstrip().startswith("<tr") and "отчёт.pdf" in text and "Выполнено" in text
    evidence = text.split('href="')[1].split('"')[0]
    assert client.get(evidence).data.startswith(b"%PDF")


def test_evidence_that_is_not_what_its_name_says_is_refused_and_item_stays_open(app, client, login):
    inst = make_institution()
    user = make_user((Role.MENTEE, inst))
    mentee = make_staff(inst, user_id=user.id)
    program = make_program(_group(inst, state=GroupState.ACTIVE, mentees=[mentee]))
    item = make_plan_item(program)
    login(user)
    r = client.post(f"/i/{inst.slug}/programs/{program.id}/items/{item.id}/done",
                    data={"evidence": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "отчёт.pdf")},
                    headers={"HX-Request": "true"}, content_type="multipart/form-data")
    assert r.status_code == 422
    with institution_scope(inst.id):
        assert db.session.get(PlanItem, item.id).status is PlanItemStatus.PLANNED


def test_another_mentees_program_does_not_exist_for_a_mentee(app, client, login):
    inst = make_institution()
    user = make_user((Role.MENTEE, inst))
    make_staff(inst, user_id=user.id)
    program = make_program(_group(inst, state=GroupState.ACTIVE))
    login(user)
    assert client.get(f"/i/{inst.slug}/programs/{program.id}").status_code == 404
    assert client.get(f"/i/{inst.slug}/programs/{program.id}/program.docx").status_code == 404


def test_program_docx_has_fields_and_plan(app):
    inst = make_institution()
    program = make_program(_group(inst, state=GroupState.ACTIVE), difficulties="Планирование")
    make_plan_item(program, due=date(2024, 10, 1), content="Взаимопосещение занятий")
    with institution_scope(inst.id):
        row = db.session.get(Program, program.id)
        doc = Document(io.BytesIO(render_program(row, inst)))
    text = [p.text for p in doc.paragraphs]
    assert "ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА НАСТАВНИЧЕСТВА" in text and f"«{row.title}»" in text
    fields = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert fields["Профессиональные затруднения"] == "Планирование"
    assert fields["Срок реализации"] == "с 01.09.2024 по 01.06.2025"
    plan = doc.tables[1]
    assert [c.text for c in plan.rows[0].cells] == PLAN_HEADER
    assert [c.text for c in plan.rows[1].cells][:4] == ["1", "Взаимопосещение занятий", "", "01.10.2024"]


def test_the_programs_list_is_per_academic_year_with_a_selector(app, client, login):
    inst = make_institution()
    old = make_group(inst, start=date(2022, 11, 21), state=GroupState.COMPLETED)
    with institution_scope(inst.id):
        db.session.get(type(old), old.id).academic_year = "2022-2023"
        db.session.commit()
    make_program(old, state=ProgramState.COMPLETED, start=date(2022, 11, 21), months=6, title="Программа 2022 года",
                 completed_at=date(2023, 5, 20))
    make_program(make_group(inst), title="Программа текущего года")   # 2024-2025, the latest year with pairs
    login(make_user((Role.CURATOR, inst)))
    earlier = client.get(f"/i/{inst.slug}/programs/?year=2022-2023").get_data(as_text=True)
    assert "Программа 2022 года" in earlier and "Программа текущего года" not in earlier
    assert 'id="f-year"' in earlier and '<option value="2022-2023" selected' in earlier
    current = client.get(f"/i/{inst.slug}/programs/").get_data(as_text=True)
    assert "Программа текущего года" in current and "Программа 2022 года" not in current
    assert client.get(f"/i/{inst.slug}/programs/?year=2022").status_code == 422
