"""The annual report as DOCX in the city's form, and the city's analysis of the year (roadmap item 30): figures
with the institutions' comments in portrait, the tables per pair and per institution in landscape sections."""
from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH

from portal.annual.services import SECTIONS
from portal.documents.docx_layout import landscape_section, new_document, para, plain_row, portrait_section, table
from portal.documents.xlsx import write_table
from portal.formatting import ru_date, ru_number
from portal.roadmap.indicators import FIGURES

CITY_KEYS = ["mentors", "mentees", "groups", "young_with_mentor_pct", "programs_active", "programs_completed",
             "items_done", "items_overdue", "satisfaction"]


def _value(v) -> str:
    return "нет данных" if v is None else ru_number(v)


def _figures_table(doc, figures: dict, comments: dict | None = None) -> None:
    rows = [[str(n), label, _value(figures.get(key)), (comments or {}).get(key, "")]
            for n, (key, label) in enumerate(FIGURES.items(), start=1)]
    if comments is None:
        table(doc, ["№", "Показатель", "Значение"], [r[:3] for r in rows], weights=[0.2, 3, 0.8], align_center=(0, 2))
    else:
        table(doc, ["№", "Показатель", "Значение", "Комментарий"], rows, weights=[0.2, 2, 0.7, 2], size=11,
              align_center=(0, 2))


def render_report(row, institution, signer: tuple[str, str]) -> bytes:
    doc = new_document()
    para(doc, institution.full_name.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    para(doc, "ОТЧЁТ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    para(doc, f"о работе по организации наставничества за {row.academic_year} учебный год", bold=True,
         align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, f"(по состоянию на {ru_date(row.as_of)}; срок представления — до {ru_date(row.due_date)})",
         align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    details = row.details or {}
    para(doc, "1. Нормативно-правовая база организации", bold=True, space_after=6, keep_with_next=True)
    for act in details.get("acts", []):
        para(doc, f"– {act['title']}, редакция № {act['version']}, {act['approval']};", space_after=2)
    for order in details.get("orders", []):
        state = "" if order["issued"] else " (проект)"
        para(doc, f"– приказ от {order['date']} № {order['number']} «{order['title']}»{state};", space_after=2)
    if not details.get("acts") and not details.get("orders"):
        para(doc, "– локальных актов и приказов в портале нет.", space_after=2)
    para(doc, "")
    para(doc, "2. Показатели", bold=True, space_after=6, keep_with_next=True)
    _figures_table(doc, row.figures or {}, row.comments or {})
    pairs = details.get("pairs", [])
    programs = details.get("programs", [])
    if pairs or programs:
        landscape_section(doc)
        para(doc, "3. Наставнические пары (группы) и персонализированные программы", bold=True, space_after=6)
        if pairs:
            table(doc, ["№", "Наставник", "Наставляемые", "Форма наставничества", "Начало", "Окончание", "Состояние"],
                  [[str(p["id"]), p["mentors"], p["mentees"], p["form"], p["start"], p["end"] or "—", p["state"]]
                   for p in pairs], weights=[0.3, 1.2, 1.6, 1.8, 0.6, 0.6, 0.8], size=11, align_center=(0, 4, 5))
            para(doc, "")
        if programs:
            table(doc, ["№", "Программа", "Наставляемый", "Начало", "Окончание", "Состояние", "Мероприятий выполнено"],
                  [[str(n), p["title"], p["mentee"], p["start"], p["end"], p["state"], f"{p['done']} из {p['total']}"]
                   for n, p in enumerate(programs, start=1)], weights=[0.2, 2.4, 1.2, 0.6, 0.6, 0.8, 0.8], size=11,
                  align_center=(0, 3, 4, 6))
        portrait_section(doc)
    number = 4 if (pairs or programs) else 3
    for key, title in SECTIONS.items():
        para(doc, f"{number}. {title}", bold=True, space_after=6, keep_with_next=True)
        text = (row.sections or {}).get(key, "")
        for line in (text.splitlines() if text else ["—"]):
            if line.strip():
                para(doc, line.strip(), align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=3)
        para(doc, "")
        number += 1
    position, name = signer
    plain_row(doc, position, name, right_share=0.35)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_analysis(data: dict, municipality) -> bytes:
    doc = new_document()
    para(doc, "АНАЛИЗ", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    para(doc, "результатов реализации наставничества в образовательных организациях, в целом в муниципальном "
              f"образовании {municipality.name} за {data['year']} учебный год", bold=True,
         align=WD_ALIGN_PARAGRAPH.CENTER)
    para(doc, "(дорожная карта, п. 30; по отчётам организаций о работе по организации наставничества)",
         align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    counted = data["rows"]
    para(doc, f"Отчёты представили {len(counted)} из {data['institutions']} организаций (приняты — {data['accepted']}); "
              f"срок представления — до {ru_date(data['due'])}.", align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6)
    if data["missing"]:
        para(doc, "Не представили отчёт: " + ", ".join(i.short_name for i in data["missing"]) + ".",
             align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6)
    para(doc, "1. Показатели в целом по муниципальному образованию", bold=True, space_after=6, keep_with_next=True)
    _figures_table(doc, data["totals"])
    if counted:
        landscape_section(doc)
        para(doc, "2. Показатели по образовательным организациям", bold=True, space_after=6)
        header = ["Организация", "Отчёт"] + [FIGURES[k] for k in CITY_KEYS]
        rows = [[inst.short_name, r.state.label] + [_value(r.figures.get(k)) for k in CITY_KEYS] for inst, r in counted]
        table(doc, header, rows, weights=[2.2, 1.1] + [0.8] * len(CITY_KEYS), size=10, min_size=8,
              align_center=tuple(range(2, len(header))))
        para(doc, "")
        para(doc, "3. Комментарии организаций к показателям", bold=True, space_after=6)
        comments = [[inst.short_name, FIGURES.get(key, key), text] for inst, r in counted
                    for key, text in (r.comments or {}).items()]
        if comments:
            table(doc, ["Организация", "Показатель", "Комментарий"], comments, weights=[1.2, 1.4, 4], size=10)
        else:
            para(doc, "Комментариев нет.")
        portrait_section(doc)
    para(doc, "")
    para(doc, "Муниципальный координатор ____________________")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def analysis_workbook(data: dict):
    def sheet(keys, title, wb=None):
        header = ["Организация", "Состояние отчёта", "Отправлен"] + [FIGURES[k] for k in keys]
        rows = [[inst.short_name, r.state.label, ru_date(r.submitted_at)] + [r.figures.get(k) for k in keys]
                for inst, r in data["rows"]]
        rows += [[inst.short_name, "не представлен", ""] + [None] * len(keys) for inst in data["missing"]]
        rows.append(["Итого по представленным отчётам", "", ""] + [data["totals"].get(k) for k in keys])
        return write_table(title, header, rows, widths=[30, 16, 11] + [12] * len(keys), wb=wb)

    # The first sheet prints on one landscape page wide; the second has every figure, for the city's own tables.
    wb = sheet(CITY_KEYS, f"Анализ {data['year']}")
    return sheet(list(FIGURES), "Все показатели", wb)
