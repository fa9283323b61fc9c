"""Import of the list of mentors and mentees (seed's order appendix) from DOCX, XLSX and CSV, and the CLI."""
from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from openpyxl import Workbook

from portal.errors import Invalid
from portal.extensions import db
from portal.mentoring.importer import ImportOptions, import_groups, stated_young, tenure_months
from portal.mentoring.models import GroupMember, MentoringGroup
from portal.mentoring.states import GroupState
from portal.staff.dictionaries import Category
from portal.staff.models import Staff
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tenants.models import Institution
from tests.factories import make_group, make_institution, make_staff, make_user

HEADER = ["№", "Ф.И. О. наставника", "Квалификационная категория наставников", "Ф.И.О. наставляемого",
          "Стаж педагогической работы наставляемого в МАДОУ «Ромашка»"]
ROWS = [["1", "Кузнецова Елена Андреевна", "высшая квалификационная категория", "Морозова Дарья Ильинична",
         "Молодой специалист"],
        ["2", "", "", "Лебедева Полина Артёмовна", "1 год 3 мес"],
        ["3.", "Смирнова Вера Павловна", "первая квалификационная категория", "Зайцева Нина Олеговна", "2 года 2 мес"]]
TODAY = date(2024, 11, 21)


def docx_bytes(rows=ROWS, header=HEADER, with_table=True) -> bytes:
    doc = Document()
    doc.add_paragraph("П Р И К А З")
    doc.add_paragraph("Список наставников и наставляемых")
    if with_table:
        table = doc.add_table(rows=1, cols=len(header))
        for cell, text in zip(table.rows[0].cells, header):
            cell.text = text
        for row in rows:
            for cell, text in zip(table.add_row().cells, row):
                cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx_bytes(rows=ROWS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Список наставников и наставляемых на 2024-2025 учебный год"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_bytes(rows=ROWS) -> bytes:
    return ("\ufeff" + "\n".join(";".join(r) for r in [HEADER] + rows)).encode("utf-8")


def _import(inst, name, data):
    with institution_scope(inst.id):
        return import_groups(inst, name, data, None, today=TODAY)


def _pairs(inst):
    with institution_scope(inst.id):
        groups = db.session.query(MentoringGroup).order_by(MentoringGroup.id).all()
        return [(sorted(m.staff.full_name for m in g.mentors), sorted(m.staff.full_name for m in g.mentees), g.state)
                for g in groups]


EXPECTED = [(["Кузнецова Елена Андреевна"], ["Лебедева Полина Артёмовна", "Морозова Дарья Ильинична"],
             GroupState.PROPOSED),
            (["Смирнова Вера Павловна"], ["Зайцева Нина Олеговна"], GroupState.PROPOSED)]


def test_blank_mentor_cell_means_mentor_of_row_above(app):
    inst = make_institution()
    result = _import(inst, "приказ.docx", docx_bytes())
    assert (result.groups_created, result.staff_created) == (2, 5)
    assert _pairs(inst) == EXPECTED


@pytest.mark.parametrize("name, maker", [("список.xlsx", xlsx_bytes), ("список.csv", csv_bytes),
                                         ("приказ.docx", docx_bytes)])
def test_xlsx_csv_and_docx_give_same_groups(app, name, maker):
    inst = make_institution()
    _import(inst, name, maker())
    assert _pairs(inst) == EXPECTED


def test_numbering_with_dot_and_category_words(app):
    inst = make_institution()
    _import(inst, "приказ.docx", docx_bytes())
    with institution_scope(inst.id):
        vera = db.session.query(Staff).filter_by(last_name="Смирнова").one()
        assert vera.category is Category.FIRST
        assert db.session.query(Staff).filter_by(last_name="Кузнецова").one().category is Category.HIGHEST


@pytest.mark.parametrize("text, months", [("1 год 3 мес", 15), ("2 года 2 мес", 26), ("5 лет", 60), ("7 мес", 7),
                                          ("11 лет 1 мес.", 133), ("менее года", 0), ("давно", None),
                                          ("Молодой специалист", None)])
def test_tenure_in_words(text, months):
    assert tenure_months(text) == months


def test_young_specialist_in_the_tenure_column_states_no_figure():
    assert stated_young("Молодой специалист") and stated_young("молодой специалист.") and not stated_young("1 год")


def test_tenure_in_words_sets_pedagogical_start_as_of_the_lists_date(app):
    inst = make_institution()
    _import(inst, "приказ.docx", docx_bytes())
    with institution_scope(inst.id):
        polina = db.session.query(Staff).filter_by(last_name="Лебедева").one()
        assert polina.institution_start == date(2023, 8, 21) and polina.pedagogical_start == date(2023, 8, 21)
        darya = db.session.query(Staff).filter_by(last_name="Морозова").one()
        assert darya.institution_start is None and darya.young_specialist_manual is True
        member = db.session.query(GroupMember).filter_by(staff_id=darya.id).one()
        assert (member.stated_tenure, member.stated_on) == ("Молодой специалист", TODAY)


def test_importing_twice_changes_nothing(app):
    inst = make_institution()
    _import(inst, "приказ.docx", docx_bytes())
    again = _import(inst, "приказ.docx", docx_bytes())
    assert (again.groups_created, again.staff_created, again.pairs_unchanged) == (0, 0, 3)
    with institution_scope(inst.id):
        assert db.session.query(MentoringGroup).count() == 2 and db.session.query(Staff).count() == 5


def test_existing_staff_are_matched_by_name_ignoring_case_and_yo(app):
    inst = make_institution()
    make_staff(inst, last_name="Лебедева", first_name="Полина", middle_name="Артемовна")
    result = _import(inst, "приказ.docx", docx_bytes())
    assert result.staff_created == 4


def test_bad_rows_all_reported_nothing_saved(app):
    inst = make_institution()
    rows = [["1", "", "", "Морозова Дарья Ильинична", ""],
            ["2", "Кузнецова Елена Андреевна", "заслуженная", "Лебедева", "1 год 3 мес"],
            ["3", "", "", "Зайцева Нина Олеговна", "долго"],
            ["4", "", "", "Зайцева Нина Олеговна", "2 года"]]
    with pytest.raises(Invalid) as exc:
        _import(inst, "список.xlsx", xlsx_bytes(rows))
    reported = [(r["row"], r["column"]) for r in exc.value.rows]
    assert reported == [(3, "Ф.И.О. наставника"), (4, "Ф.И.О. наставляемого"), (5, "Стаж педагогической работы наставляемого"),
                        (6, "Ф.И.О. наставляемого")]
    assert "Неизвестная категория" not in str(exc.value.rows)  # row 4 fails on the name first
    with institution_scope(inst.id):
        assert db.session.query(Staff).count() == 0 and db.session.query(MentoringGroup).count() == 0


def test_unknown_category_is_reported(app):
    inst = make_institution()
    rows = [["1", "Кузнецова Елена Андреевна", "заслуженная", "Морозова Дарья Ильинична", ""]]
    with pytest.raises(Invalid) as exc:
        _import(inst, "список.csv", csv_bytes(rows))
    assert exc.value.rows[0]["column"] == "Квалификационная категория наставников"


def test_docx_without_table_refused(app):
    inst = make_institution()
    with pytest.raises(Invalid, match="нет таблицы со списком"):
        _import(inst, "приказ.docx", docx_bytes(with_table=False))
    with pytest.raises(Invalid, match="нет таблицы со списком"):
        _import(inst, "приказ.docx", docx_bytes(header=["№", "Мероприятие", "Срок", "Ответственный", "Итог"]))


@pytest.mark.parametrize("name", ["приказ.docx", "список.xlsx"])
def test_file_not_what_its_name_says_refused(app, name):
    inst = make_institution()
    with pytest.raises(Invalid, match="не документ Word|не книга Excel"):
        _import(inst, name, b"just some text, not an office file")


def test_a_limit_the_institution_set_is_a_warning_the_curator_confirms(app):
    inst = make_institution()
    with platform_scope("test"):
        db.session.get(Institution, inst.id).mentor_capacity = 2
        db.session.commit()
    rows = [["1", "Кузнецова Елена Андреевна", "высшая", "Морозова Дарья Ильинична", ""],
            ["2", "", "", "Лебедева Полина Артёмовна", ""],
            ["3", "", "", "Зайцева Нина Олеговна", ""]]
    with pytest.raises(Invalid) as exc:
        _import(inst, "список.csv", csv_bytes(rows))
    message = exc.value.fields["confirm_over_limit"]
    assert "будет наставляемых: 3, а лимит — 2" in message and "Настройки организации" in message
    with institution_scope(inst.id):
        assert db.session.query(MentoringGroup).count() == 0
        result = import_groups(inst, "список.csv", csv_bytes(rows), None, today=TODAY,
                               options=ImportOptions(confirm_over_limit=True))
    assert result.groups_created == 1


def test_without_a_limit_one_mentor_takes_three_mentees(app):
    inst = make_institution()
    rows = [["1", "Кузнецова Елена Андреевна", "высшая", "Морозова Дарья Ильинична", ""],
            ["2", "", "", "Лебедева Полина Артёмовна", ""],
            ["3", "", "", "Зайцева Нина Олеговна", ""]]
    assert _import(inst, "список.csv", csv_bytes(rows)).groups_created == 1


def test_mentee_with_another_mentor_refused(app):
    inst = make_institution()
    mentee = make_staff(inst, last_name="Морозова", first_name="Дарья", middle_name="Ильинична")
    make_group(inst, mentees=[mentee])
    with pytest.raises(Invalid) as exc:
        _import(inst, "приказ.docx", docx_bytes())
    assert "с другим наставником" in exc.value.rows[0]["reason"]


def test_upload_form_imports(app, client, login):
    inst = make_institution()
    login(make_user((Role.CURATOR, inst)))
    url = f"/i/{inst.slug}/mentoring/groups/import"
    assert client.get(url).status_code == 200
    r = client.post(url, data={"file": (io.BytesIO(docx_bytes()), "приказ.docx")}, content_type="multipart/form-data",
                    headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Создано пар (групп): 2" in r.get_data(as_text=True)
    r = client.post(url, data={"file": (io.BytesIO(docx_bytes(with_table=False)), "приказ.docx")},
                    content_type="multipart/form-data", headers={"HX-Request": "true"})
    assert r.status_code == 422 and "нет таблицы" in r.get_data(as_text=True)


def test_cli_import_groups(app, tmp_path):
    inst = make_institution()
    path = tmp_path / "приказ.docx"
    path.write_bytes(docx_bytes())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-groups", "--institution", inst.slug, str(path)])
    assert result.exit_code == 0, result.output
    assert "Создано пар (групп): 2" in result.output
    bad = tmp_path / "плохой.csv"
    bad.write_bytes(csv_bytes([["1", "", "", "Морозова Дарья Ильинична", ""]]))
    result = runner.invoke(args=["import-groups", "--institution", inst.slug, str(bad)])
    assert result.exit_code == 1 and "строка 2" in result.output
    with institution_scope(inst.id):
        assert db.session.query(GroupMember).count() == 5
