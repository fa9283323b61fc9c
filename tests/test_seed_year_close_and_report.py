"""The second half of the seed's year, through the services: the academic year closes and carries what goes on
(a program over), and the annual report by 15 May goes to the city, back with remarks, and is accepted."""
from __future__ import annotations

from datetime import date

import pytest

from portal.annual import services as annual
from portal.annual.models import ReportState
from portal.exceptions import Invalid
from portal.extensions import db
from portal.mentoring import order_drafting, orders
from portal.mentoring.groups import form_group
from portal.mentoring.models import MentoringGroup
from portal.mentoring.states import GroupState, ProgramState
from portal.programs.services import programs_in
from portal.mentoring import years
from tenants.context import across_institutions, institution_scope
from tests import seed_year as seed
from tests.factories import make_group, make_institution, make_program, make_staff

CLOSING_DAY = date(2023, 6, 30)


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context("/"):
        yield


def _year_of_pairs(inst):
    """One pair that goes on (its program runs to February) and one completed in May, both of 2022-2023."""
    going = make_group(inst, start=date(2022, 11, 21))
    done = make_group(inst, start=date(2022, 11, 21), state=GroupState.COMPLETED, end_date=date(2023, 5, 20))
    with institution_scope(inst.id):
        for g in (going, done):
            db.session.get(MentoringGroup, g.id).academic_year = "2022-2023"
        db.session.commit()
    carried = make_program(going, start=date(2023, 3, 1), months=11)
    finished = make_program(done, start=date(2022, 12, 1), months=5, state=ProgramState.COMPLETED,
                            completed_at=date(2023, 5, 15))
    return going, done, carried, finished


def test_closing_the_year_carries_going_on_pairs_and_programs_with_their_dates(app):
    inst = make_institution()
    going, done, carried, finished = _year_of_pairs(inst)
    with institution_scope(inst.id):
        row = years.close_year(inst, "2022-2023", None, today=CLOSING_DAY)
        assert (row.carried_groups, row.carried_programs) == (1, 1)
        assert [g.id for g in years.groups_in("2023-2024")] == [going.id]
        assert {g.id for g in years.groups_in("2022-2023")} == {going.id, done.id}   # the old year keeps its list
        assert [p.id for p in programs_in("2023-2024")] == [carried.id]
        assert {p.id for p in programs_in("2022-2023")} == {carried.id, finished.id}
        program = programs_in("2023-2024")[0]
        assert (program.start_date, program.end_date) == (date(2023, 3, 1), date(2024, 2, 1))
        assert going.start_date == date(2022, 11, 21)   # dates are the pair's own


def test_closing_the_year_drafts_next_years_list_and_order_from_what_carries_over(app):
    inst = make_institution()
    going, *_ = _year_of_pairs(inst)
    with institution_scope(inst.id):
        row = years.close_year(inst, "2022-2023", None, today=CLOSING_DAY)
        order = orders.order(row.next_order_id)
        assert order.issued_at is None and order.academic_year == "2023-2024" and order.issued_on == date(2023, 9, 1)
        assert [g.id for g in order.groups] == [going.id] and [a.kind for a in order.appendices] == ["group_list"]
        assert "на 2023-2024 учебный год" in order.items[0].text


def test_a_closed_year_takes_no_new_pairs_or_orders_and_closes_once(app):
    inst = make_institution()
    _year_of_pairs(inst)
    mentor, mentee = make_staff(inst), make_staff(inst)
    with institution_scope(inst.id):
        years.close_year(inst, "2022-2023", None, today=CLOSING_DAY)
        with pytest.raises(Invalid, match="уже закрыт"):
            years.close_year(inst, "2022-2023", None, today=CLOSING_DAY)
        from portal.mentoring.banks import forms

        with pytest.raises(Invalid) as exc:
            form_group(inst, {"mentor_ids": [mentor.id], "mentee_ids": [mentee.id], "form_id": forms()[0].id,
                              "start_date": "01.03.2023"}, None)
        assert "Учебный год 2022-2023 закрыт" in exc.value.fields["start_date"]
        with pytest.raises(Invalid, match="закрыт"):
            order_drafting.save_order({"kind": "incentive", "number": "9", "issued_on": "01.04.2023", "items": "1. Пункт"},
                                      inst)


def test_a_year_closes_only_from_may(app):
    inst = make_institution()
    with institution_scope(inst.id):
        with pytest.raises(Invalid, match="не раньше 01.05.2023"):
            years.close_year(inst, "2022-2023", None, today=date(2023, 2, 1))


def test_the_year_selector_offers_every_year_with_data_and_defaults_to_the_open_one(app):
    inst = make_institution()
    _year_of_pairs(inst)
    with institution_scope(inst.id):
        assert years.current_year(date(2026, 12, 1)) == "2022-2023"
        years.close_year(inst, "2022-2023", None, today=CLOSING_DAY)
        assert years.current_year(date(2026, 12, 1)) == "2023-2024"
        assert {"2022-2023", "2023-2024", "2026-2027"} <= set(years.years_with_data(date(2026, 12, 1)))
        with pytest.raises(Invalid):
            years.selected_year("2023-2025")


# --- the annual report by 15 May ------------------------------------------------------------------------------------

def _report_ready(inst):
    with institution_scope(inst.id):
        row = annual.generate("2022-2023", None, today=date(2023, 5, 10))
        asks = annual.needs_comment(row.figures)
        annual.save_texts(row, {**{k: "Причина и что сделано" for k in asks}, "groups": "Одна пара завершила работу"},
                          {"events": "Семинар наставников, открытые занятия, взаимопосещения."})
        return row.id


def test_the_annual_report_is_generated_submitted_returned_resubmitted_and_accepted(app):
    inst, head, curator, deputy, coordinator = seed.make_kindergarten()
    going, *_ = _year_of_pairs(inst)
    report_id = _report_ready(inst)
    with institution_scope(inst.id):
        row = annual.report(report_id)
        assert row.figures["groups"] == 2 and row.due_date == date(2023, 5, 15) and row.state is ReportState.DRAFT
        annual.submit(row, curator.id, today=date(2023, 5, 12))
    with across_institutions(municipality_ids={inst.municipality_id}, reason="test: the coordinator"):
        with pytest.raises(Invalid, match="Напишите замечания"):
            annual.return_with_remarks(annual.report(row.id), "", coordinator.id)
        annual.return_with_remarks(annual.report(row.id), "Дополните раздел о трудностях.", coordinator.id)
    with institution_scope(inst.id):
        row = annual.report(row.id)
        assert row.state is ReportState.RETURNED and row.editable
        annual.save_texts(row, {}, {"difficulties": "Нехватка времени у наставников: встречи перенесены."})
        annual.generate("2022-2023", curator.id, today=date(2023, 5, 14))
        annual.submit(row, curator.id, today=date(2023, 5, 14))
    with across_institutions(municipality_ids={inst.municipality_id}, reason="test: the coordinator"):
        annual.accept(annual.report(row.id), coordinator.id)
        row = annual.report(row.id)
        assert row.state is ReportState.ACCEPTED
        assert [e.action for e in row.events] == ["generated", "submitted", "returned", "generated", "submitted",
                                                  "accepted"]
        assert row.sections["difficulties"].startswith("Нехватка") and row.comments   # kept through the refresh
    with institution_scope(inst.id), pytest.raises(Invalid, match="Отчёт принят: изменить его нельзя"):
        annual.save_texts(annual.report(row.id), {}, {"plans": "…"})


def test_submitting_needs_a_comment_where_a_figure_asks_for_one(app):
    inst = make_institution()
    make_group(inst, start=date(2022, 11, 21))   # a young specialist without a mentor makes the share < 100 %
    make_staff(inst, pedagogical_start=date(2022, 9, 1))
    with institution_scope(inst.id):
        row = annual.generate("2022-2023", None, today=date(2023, 5, 10))
        assert "young_with_mentor_pct" in annual.needs_comment(row.figures)
        annual.save_texts(row, {}, {"events": "Семинар."})
        with pytest.raises(Invalid, match="Прокомментируйте показатели: «Доля молодых специалистов с наставником"):
            annual.submit(row, None)


def test_the_coordinator_sees_who_submitted_and_the_analysis_is_built_from_submitted_reports(app):
    inst, head, curator, deputy, coordinator = seed.make_kindergarten()
    other = make_institution(inst.municipality)
    silent = make_institution(inst.municipality)
    _year_of_pairs(inst)
    make_group(other, start=date(2022, 10, 1))
    for institution in (inst, other):
        report_id = _report_ready(institution)
        with institution_scope(institution.id):
            if institution is inst:
                annual.submit(annual.report(report_id), None, today=date(2023, 5, 12))
    with across_institutions(municipality_ids={inst.municipality_id}, reason="test: the coordinator"):
        states = {i.id: (r.state if r else None) for i, r in annual.city_reports(inst.municipality_id, "2022-2023")}
        assert states == {inst.id: ReportState.SUBMITTED, other.id: ReportState.DRAFT, silent.id: None}
        data = annual.analysis(inst.municipality_id, "2022-2023")
        assert [i.id for i, _ in data["rows"]] == [inst.id] and data["totals"]["groups"] == 2
        assert {i.id for i in data["missing"]} == {other.id, silent.id}
        from portal.annual.docx import render_analysis

        import io

        from docx import Document

        doc = Document(io.BytesIO(render_analysis(data, inst.municipality)))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "Отчёты представили 1 из 3 организаций" in text and "дорожная карта, п. 30" in text


def test_reminders_of_the_annual_report_two_weeks_and_three_days_before_and_once_overdue(app):
    from portal.notifications.models import Notification
    from portal.reminders.services import send_reminders

    inst, head, curator, *_ = seed.make_kindergarten()
    with institution_scope(inst.id):
        sent = [send_reminders(inst, day).annual_report for day in
                (date(2023, 4, 20), date(2023, 5, 1), date(2023, 5, 2), date(2023, 5, 12), date(2023, 5, 13),
                 date(2023, 5, 16), date(2023, 5, 17))]
        assert sent == [0, 2, 0, 2, 0, 2, 0]   # head and curator; each reminder once
        titles = [n.title for n in db.session.query(Notification).filter_by(user_id=curator.id).order_by(Notification.id)]
        assert titles[0].startswith("До 15.05.2023: отчёт") and titles[-1].startswith("Просрочен отчёт")
        row = annual.generate("2023-2024", None, today=date(2024, 5, 1))
        annual.save_texts(row, {k: "—" for k in annual.needs_comment(row.figures)}, {"events": "Семинар."})
        annual.submit(row, None)
        assert send_reminders(inst, date(2024, 5, 13)).annual_report == 0
