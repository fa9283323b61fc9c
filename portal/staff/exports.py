"""The staff list as an XLSX workbook (what curators keep in Excel today)."""
from __future__ import annotations

from datetime import date

from portal.documents.xlsx import write_table
from portal.formatting import ru_date

HEADERS = ["Фамилия", "Имя", "Отчество", "Должность", "Квалификационная категория", "Дата присвоения категории",
           "Педагогический стаж", "Стаж в организации", "Молодой специалист", "Электронная почта"]


def staff_workbook(rows, as_of: date):
    return write_table("Педагогические работники", HEADERS, (
        [s.last_name, s.first_name, s.middle_name, s.position_label, s.category.label, ru_date(s.category_date),
         s.experience_words(as_of), s.tenure_here_words(as_of), "да" if s.is_young_specialist(as_of) else "",
         s.work_email] for s in rows), widths=[18, 14, 18, 28, 30, 14, 14, 14, 12, 30])
