"""Documents print well (seed year, item 10): the checks of tests/print_checks.py catch what they promise to catch,
and the documents that no page answer carries (the worker's registry file, the order rendered for its own test)
pass them. Every DOCX and XLSX a page or the API answers is checked by the conftest in every test."""
from __future__ import annotations

import io

from docx import Document
from docx.shared import Cm
from openpyxl import Workbook

from portal.documents.docx_layout import landscape_section, new_document, table
from portal.documents.xlsx import to_bytes, write_table
from tests.print_checks import docx_problems, xlsx_problems


def _bytes(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_table_without_fixed_column_widths_is_reported():
    doc = Document()
    doc.add_table(rows=1, cols=3)
    assert docx_problems(_bytes(doc)) == ["документ: таблица 1 без фиксированных ширин столбцов"]


def test_a_table_wider_than_its_portrait_page_is_reported_and_fits_in_landscape():
    doc = new_document()
    table(doc, ["А", "Б"], [["1", "2"]], weights=[1, 1], total_cm=24)
    assert "шире страницы" in docx_problems(_bytes(doc))[0]
    doc = new_document()
    landscape_section(doc)
    table(doc, ["А", "Б"], [["1", "2"]], weights=[1, 1], total_cm=24)
    assert docx_problems(_bytes(doc)) == []


def test_a_date_broken_in_its_column_is_reported():
    doc = new_document()
    t = table(doc, ["Дата"], [["21.11.2022"]], weights=[1], total_cm=1.2)
    for cell in t.columns[0].cells:
        cell.width = Cm(1.2)
    assert any("«21.11.2022» не помещается" in p for p in docx_problems(_bytes(doc)))


def test_an_xlsx_without_a_print_setup_is_reported():
    wb = Workbook()
    wb.active.append(["Ф.И.О.", "Должность"])
    wb.active.append(["Иванова", "Воспитатель"])
    problems = xlsx_problems(to_bytes(wb))
    assert any("не A4" in p for p in problems) and any("не повторяется" in p for p in problems)
    assert any("не вписан" in p for p in problems)


def test_a_wide_xlsx_prints_in_landscape_and_a_narrow_one_in_portrait():
    wide = write_table("Широкая", [f"Столбец {n}" for n in range(12)], [[n] * 12 for n in range(3)])
    narrow = write_table("Узкая", ["№", "Ф.И.О."], [[1, "Иванова"]])
    assert wide.active.page_setup.orientation == "landscape" and xlsx_problems(to_bytes(wide)) == []
    assert narrow.active.page_setup.orientation == "portrait" and xlsx_problems(to_bytes(narrow)) == []


def test_the_registry_file_built_by_the_worker_prints_well(app, client, login):
    from tests.test_registry import _build, _fixture
    from tenants.access import Role
    from tests.factories import make_user

    city, _, _ = _fixture()
    login(make_user((Role.REGIONAL, city)))
    export = _build(client, city)
    answer = client.get(f"/m/{city.slug}/registry/{export.id}/registry.xlsx")
    assert answer.status_code == 200
    assert xlsx_problems(answer.get_data(), "реестр") == []
