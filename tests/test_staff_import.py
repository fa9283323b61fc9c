"""Staff import from XLSX and CSV: Russian headers, all-or-nothing, every bad row reported, no duplicates."""
from __future__ import annotations

import io

from openpyxl import Workbook

from portal.extensions import db
from portal.staff.models import Staff
from tenants.access import Role
from tenants.context import platform_scope
from tests.factories import make_institution, make_user

HEADER = ["Фамилия", "Имя", "Отчество", "Должность", "Квалификационная категория", "Дата присвоения категории",
          "Дата начала педагогической деятельности", "Дата приёма в организацию", "Электронная почта"]
ROWS = [
    ["Белкина", "Ольга", "Петровна", "Воспитатель", "высшая", "12.04.2020", "01.09.2005", "01.09.2010", "belkina@sad.ru"],
    ["Синицына", "Дарья", "Андреевна", "воспитатель", "без категории", "", "01.09.2023", "01.09.2023", ""],
    ["Грачёва", "Мария", "Олеговна", "Музыкальный руководитель", "Первая квалификационная категория", "20.12.2021",
     "01.09.2012", "15.01.2018", ""],
]


def xlsx(rows, header=HEADER, title=True) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append(["Список педагогических работников"])  # institutions put a title above the table
    ws.append(header)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, inst, name, data):
    return client.post(f"/i/{inst.slug}/staff/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", headers={"HX-Request": "true"})


def staff_count():
    with platform_scope("check"):
        return db.session.query(Staff).count()


def _setup(login):
    inst = make_institution()
    login(make_user((Role.CURATOR, inst)))
    return inst


def test_good_xlsx_imports_every_row(app, client, login):
    inst = _setup(login)
    r = upload(client, inst, "staff.xlsx", xlsx(ROWS))
    assert r.status_code == 200 and "новых записей — 3" in r.get_data(as_text=True)
    assert staff_count() == 3


def test_import_with_one_bad_row_imports_nothing_and_names_row_column_reason(app, client, login):
    inst = _setup(login)
    bad = ROWS + [["Воронова", "", "Ивановна", "Космонавт", "высшая", "", "01.09.2010", "01.09.2010", "x@"]]
    r = upload(client, inst, "staff.xlsx", xlsx(bad))
    text = r.get_data(as_text=True)
    assert r.status_code == 422 and staff_count() == 0
    # Row 6 of the sheet: a title row, the header, three good rows, then the bad one.
    assert "<td>6</td>" in text
    for reason in ("Заполните поле «Имя»", "Выберите должность из списка", "Дата присвоения категории",
                   "Адрес электронной почты"):
        assert reason in text


def test_same_file_imported_twice_creates_no_duplicates(app, client, login):
    inst = _setup(login)
    data = xlsx(ROWS)
    upload(client, inst, "staff.xlsx", data)
    r = upload(client, inst, "staff.xlsx", data)
    assert "без изменений — 3" in r.get_data(as_text=True) and staff_count() == 3


def test_second_import_updates_changed_rows(app, client, login):
    inst = _setup(login)
    upload(client, inst, "staff.xlsx", xlsx(ROWS))
    changed = [r[:] for r in ROWS]
    changed[1][4], changed[1][5] = "первая", "01.02.2025"
    r = upload(client, inst, "staff.xlsx", xlsx(changed))
    assert "обновлено — 1" in r.get_data(as_text=True) and staff_count() == 3


def test_csv_in_cp1251_with_semicolons_and_one_fio_column(app, client, login):
    inst = _setup(login)
    text = "Ф.И.О.;Должность;Категория;Дата присвоения категории;Педагогический стаж с;Дата приема\n" \
           "Журавлёва Нина Павловна;Учитель;высшая;10.10.2019;01.09.2001;01.09.2001\n"
    r = upload(client, inst, "list.csv", text.encode("cp1251"))
    assert r.status_code == 200, r.get_data(as_text=True)
    with platform_scope("check"):
        s = db.session.query(Staff).one()
    assert (s.last_name, s.first_name, s.middle_name, s.position) == ("Журавлёва", "Нина", "Павловна", "uchitel")


def test_csv_utf8_with_bom_and_commas(app, client, login):
    inst = _setup(login)
    text = "\ufeffФамилия,Имя,Отчество,Должность,Квалификационная категория,Дата присвоения категории," \
           "Дата начала педагогической деятельности,Дата приёма в организацию\n" \
           "Орешкина,Вера,Львовна,Педагог-психолог,без категории,,01.09.2020,01.09.2020\n"
    assert upload(client, inst, "list.csv", text.encode("utf-8")).status_code == 200
    assert staff_count() == 1


def test_file_without_name_columns_is_refused(app, client, login):
    inst = _setup(login)
    r = upload(client, inst, "staff.xlsx", xlsx(ROWS, header=["А", "Б", "В", "Г", "Д", "Е", "Ж", "З", "И"]))
    assert r.status_code == 422 and "Фамилия" in r.get_data(as_text=True)


def test_file_that_is_not_what_its_name_says_is_refused(app, client, login):
    inst = _setup(login)
    r = upload(client, inst, "staff.xlsx", b"%PDF-1.4 not a workbook")
    assert r.status_code == 422 and "не книга Excel" in r.get_data(as_text=True)


def test_the_same_person_twice_in_one_file_is_reported(app, client, login):
    inst = _setup(login)
    r = upload(client, inst, "staff.xlsx", xlsx(ROWS + [ROWS[0]]))
    assert r.status_code == 422 and "Повторяет строку 3" in r.get_data(as_text=True)
