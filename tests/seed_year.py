"""The seed's year in invented names: an institution shaped like «Югорка», its list of one mentor (not yet in the
registry) and three mentees as a Word table with the mentor's cell merged, tenure «Молодой специалист» /
«1 год 3 мес» / «2 года 2 мес» as of the list's date 21.11.2022, one patronymic with «Гызы», the deputy head who
is responsible for items 2.1–2.3 and reads the order without being in any pair. Shared by the service, API and
browser journeys."""
from __future__ import annotations

import io
from datetime import date

from docx import Document

from portal.extensions import db
from portal.staff.dictionaries import Category
from tenants.access import Role
from tenants.context import platform_scope
from tenants.models import Institution, InstitutionKind
from tests.factories import make_institution, make_municipality, make_staff, make_user

ORDER_DATE = date(2022, 11, 21)
ORDER_NUMBER = "217-0"
YEAR = "2022-2023"
SHORT_NAME = "МАДОУ ДСКВ «Радуга»"
FULL_NAME = "Муниципальное автономное дошкольное образовательное учреждение детский сад комбинированного вида «Радуга»"
MENTOR = "Белова Тамара Андреевна"
MENTEES = ["Хайруллина Гульнара Рамилевна", "Гусейнова Айнур Эльчин Гызы", "Алиева Марьям Руслановна"]
TENURE = ["Молодой специалист", "1 год 3 мес", "2 года 2 мес"]
DEPUTY = ("Гарипова", "Лейсан", "Айратовна")
HEAD = ("Соколова", "Ирина", "Павловна")
HEADER = ["№", "Ф.И. О. наставника", "Квалификационная категория наставников", "Ф.И.О. наставляемого",
          f"Стаж педагогической работы наставляемого в {SHORT_NAME}"]

# The order's items as the seed's №333-0 has them (1., 1.1., 1.2., 2., 2.1.–2.3., 3., 4.), in invented names.
ITEMS = "\n".join([
    "1. Утвердить:",
    "- 1.1. Положение о системе наставничества в новой редакции (приложение 1).",
    f"- 1.2. Список наставников и наставляемых на {YEAR} учебный год (приложение 2).",
    "2. Заместителю заведующего:",
    "- 2.1. Ознакомить наставника и наставляемых в срок до 26.11.2022 года с Положением о наставничестве в новой "
    "редакции.",
    " - 2.2. Принять в работу «дорожную карту» по внедрению системы наставничества педагогических работников.",
    " - 2.3. Представить ежегодно в срок до 15 мая отчет о работе по организации наставничества в установленной форме;",
    f"3. Назначить наставником молодых педагогов {SHORT_NAME} Белову Тамару Андреевну, воспитателя.",
    "4. Контроль за исполнением приказа оставляю за собой.",
])
PREAMBLE = ("В целях повышения эффективности работы с молодыми специалистами, создания необходимых условий для "
            f"профессиональной адаптации молодых педагогов в {SHORT_NAME}, в соответствии с приказом управления "
            "образования от 14 ноября 2022 года № 121-0 «Об утверждении плана мероприятий («дорожная карта») по "
            "реализации проекта «Наставничество»")


def list_docx(rows=None) -> bytes:
    """The list as a Word table: the mentor's name and category in one cell merged over her three mentees."""
    doc = Document()
    doc.add_paragraph(f"Список наставников и наставляемых {SHORT_NAME}")
    doc.add_paragraph(f"на {YEAR} учебный год")
    table = doc.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, HEADER):
        cell.text = text
    for n, (mentee, tenure) in enumerate(zip(MENTEES, TENURE), start=1):
        cells = table.add_row().cells
        cells[0].text, cells[3].text, cells[4].text = f"{n}{'.' if n == 3 else ''}", mentee, tenure
    for col, text in ((1, MENTOR), (2, "высшая квалификационная категория")):
        merged = table.cell(1, col).merge(table.cell(3, col))
        merged.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def make_kindergarten(**fields):
    """A new institution with the defaults (no load limit), a head and a curator (the deputy) with accounts."""
    city = make_municipality(name="г. Речной")
    inst = make_institution(city, kind=InstitutionKind.DOU, short_name=SHORT_NAME)
    with platform_scope("test"):
        row = db.session.get(Institution, inst.id)
        row.full_name = FULL_NAME
        for k, v in fields.items():
            setattr(row, k, v)
        db.session.commit()
    head_user = make_user((Role.HEAD, inst), name=" ".join(HEAD))
    curator_user = make_user((Role.CURATOR, inst), name=" ".join(DEPUTY))
    make_staff(inst, last_name=HEAD[0], first_name=HEAD[1], middle_name=HEAD[2], position="rukovoditel",
               category=Category.HIGHEST, user_id=head_user.id)
    deputy = make_staff(inst, last_name=DEPUTY[0], first_name=DEPUTY[1], middle_name=DEPUTY[2],
                        position="zam_rukovoditelya", category=Category.FIRST, user_id=curator_user.id)
    coordinator = make_user((Role.COORDINATOR, city))
    return inst, head_user, curator_user, deputy, coordinator
