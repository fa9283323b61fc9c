"""Reports from the snapshots: the quarterly analytical report and the annual report (due by 15 May, seed's
order item 2.3), for an institution or the city, as XLSX and DOCX; the institution's one ready to sign."""
from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH

from portal.documents.docx_layout import landscape_section, new_document, portrait_section, table
from portal.documents.xlsx import write_table
from portal.formatting import ru_date
from portal.periods import period_label
from portal.roadmap.indicators import FIGURES, bounds


def _period_words(period: str) -> str:
    start, end = bounds(period)
    return f"{period_label(period)} ({ru_date(start)} — {ru_date(end)})"


def _value(v) -> str:
    if v is None:
        return "нет данных"
    return str(v).replace(".", ",") if isinstance(v, float) else str(v)


def report_docx(title_org: str, period: str, figures: dict, rows: list[tuple[str, dict]] | None = None,
                signer: str = "") -> bytes:
    """One institution (rows None) or the city with a row per institution."""
    kind = "Аналитический отчёт" if "Q" in period else "Отчёт о работе по организации наставничества"
    doc = new_document()
    p = doc.add_paragraph()
    p.add_run(title_org.upper()).bold = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = doc.add_paragraph()
    p.add_run(kind.upper()).bold = True
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"о реализации системы наставничества педагогических работников за {_period_words(period)}"
                      ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    table(doc, ["Показатель", "Значение"], [[label, _value(figures.get(key))] for key, label in FIGURES.items()],
          weights=[3, 1], align_center=(1,))
    forms = figures.get("groups_by_form") or {}
    if forms:
        doc.add_paragraph().add_run("Пары и группы по формам наставничества").bold = True
        for name, n in sorted(forms.items()):
            doc.add_paragraph(f"{name} — {n}", style="List Bullet")
    if rows:
        landscape_section(doc)  # the table per institution is wide
        doc.add_paragraph().add_run("По образовательным организациям").bold = True
        keys = ["mentors", "mentees", "groups", "young_with_mentor_pct", "programs_completed", "tasks_overdue"]
        table(doc, ["Организация"] + [FIGURES[k] for k in keys], [[name] + [_value(f.get(k)) for k in keys]
                                                                  for name, f in rows],
              weights=[3] + [1] * len(keys), size=11, align_center=tuple(range(1, len(keys) + 1)))
        portrait_section(doc)
    doc.add_paragraph()
    doc.add_paragraph(f"{signer or 'Руководитель'}  ____________________")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def report_xlsx(period: str, rows: list[tuple[str, dict]], total: dict | None = None, *, first: str = "Организация",
                total_label: str = "Итого по городу"):
    """One row per institution (or per city, for the region), the total last; print setup as every table."""
    header = [first] + list(FIGURES.values())
    data = [[name] + [f.get(k) for k in FIGURES] for name, f in rows]
    if total is not None:
        data.append([total_label] + [total.get(k) for k in FIGURES])
    return write_table(f"Показатели, {period_label(period)}", header, data, widths=[34] + [16] * len(FIGURES))
