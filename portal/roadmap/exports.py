"""The roadmap and its status matrix as XLSX, in the layout the city's files use."""
from __future__ import annotations

from openpyxl.styles import Font, PatternFill

from portal.documents.xlsx import write_table
from portal.roadmap.models import RESULT_TYPES, Roadmap

ROADMAP_HEADER = ["№ п/п", "Наименование мероприятия", "Срок реализации", "Ответственный", "Результат", "Вид результата",
                  "Правило срока"]
STATE_LABELS = {"overdue": "Просрочено", "returned": "На доработке", "open": "Ожидается", "submitted": "На проверке",
                "accepted": "Принято"}
STATE_FILLS = {"overdue": "F8CBAD", "returned": "FFE699", "open": "FFFFFF", "submitted": "BDD7EE", "accepted": "C6EFCE"}


def roadmap_workbook(row: Roadmap):
    rows = []
    for section in row.sections:
        rows.append(["", section.title, "", "", "", "", ""])
        for a in section.activities:
            rows.append([f"{a.number}.", a.title, a.deadline_text, a.responsible_text or a.level.label, a.result_text,
                         RESULT_TYPES.get(a.result_type, ""), a.parsed_rule.label if a.parsed_rule else "не задано"])
    wb = write_table("Дорожная карта", ROADMAP_HEADER, rows, widths=[7, 70, 28, 18, 30, 20, 26])
    ws = wb.active
    for r in ws.iter_rows(min_row=2):
        if not r[0].value:
            for cell in r:
                cell.font = Font(bold=True)
    return wb


def matrix_workbook(row: Roadmap, year: int, data: dict):
    header = ["Организация"] + [f"{a.number}. {a.title[:60]}" for a in data["activities"]]
    rows = [[inst.short_name] + [STATE_LABELS[data["worst"][(inst.id, a.id)]]
                                 if (inst.id, a.id) in data["worst"] else "—" for a in data["activities"]]
            for inst in data["institutions"]]
    wb = write_table(f"Статус {year}", header, rows, widths=[30] + [18] * len(data["activities"]))
    ws = wb.active
    reverse = {v: k for k, v in STATE_LABELS.items()}
    for r in ws.iter_rows(min_row=2, min_col=2):
        for cell in r:
            if cell.value in reverse:
                cell.fill = PatternFill("solid", fgColor=STATE_FILLS[reverse[cell.value]])
    return wb
