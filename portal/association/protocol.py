"""The protocol of a meeting as DOCX in the usual layout: the organisation, «ПРОТОКОЛ № …» of the meeting of …,
the date, chair and secretary, «Присутствовали» with the list, «Отсутствовали», «ПОВЕСТКА ДНЯ», and for each
question «СЛУШАЛИ», «ВЫСТУПИЛИ», «РЕШИЛИ» with the decisions, their responsible persons and due dates; the
signatures of the chair and the secretary."""
from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from portal.association.services import GENITIVE, holder, protocol_people
from portal.documents.docx_layout import new_document, plain_row, table
from portal.formatting import ru_date


def _para(doc, text="", bold=False, align=None, space_after=4, indent=None):
    p = doc.add_paragraph()
    if text:
        p.add_run(text).bold = bold
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    if indent is not None:
        p.paragraph_format.left_indent = Cm(indent)
    return p


def _labelled(doc, label: str, text: str, indent=None):
    p = _para(doc, indent=indent, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    p.add_run(label).bold = True
    p.add_run(" " + text)
    return p


def _signature_name(staff) -> str:
    """«А.С. Петрова», as a signature is written."""
    initials = "".join(f"{part[0]}." for part in (staff.first_name, staff.middle_name) if part)
    return f"{initials} {staff.last_name}".strip()


def _person(staff, with_place: bool) -> str:
    words = [staff.full_name, staff.position_label.lower()]
    if with_place and staff.institution is not None:
        words.append(staff.institution.short_name)
    return ", ".join(w for w in words if w)


def render_protocol(row, m, organisation: str, city: bool = False) -> bytes:
    doc = new_document()   # A4, the office's margins and font, tables that fit the page
    _para(doc, organisation.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _para(doc, f"ПРОТОКОЛ № {m.number}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(doc, f"заседания {GENITIVE.get(row.kind, row.name)}", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    plain_row(doc, ru_date(m.held_on) + (f", {m.starts_at}" if m.starts_at else ""),
              m.place or ("дистанционно" if m.link else ""), right_share=0.5)
    _para(doc)
    chair, secretary = holder(row, "chair"), holder(row, "secretary")
    if chair:
        _labelled(doc, "Председатель:", chair.staff.short_name)
    if secretary:
        _labelled(doc, "Секретарь:", secretary.staff.short_name)
    present, absent = protocol_people(m)
    _labelled(doc, "Присутствовали:", f"{len(present)} чел.")
    for n, a in enumerate(present, start=1):
        _para(doc, f"{n}. {_person(a.staff, city)}", space_after=0, indent=0.75)
    if absent:
        _labelled(doc, "Отсутствовали:", f"{len(absent)} чел. — " + "; ".join(
            a.staff.short_name + (f" ({a.note})" if a.note else "") for a in absent))
    if m.guests:
        _labelled(doc, "Приглашённые:", m.guests)
    _para(doc)
    _para(doc, "ПОВЕСТКА ДНЯ:", bold=True)
    for item in m.agenda:
        _para(doc, f"{item.position}. {item.title}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=2)
    _para(doc)
    for item in m.agenda:
        heard = ", ".join(part for part in (item.speaker, item.heard) if part) or "—"
        _labelled(doc, f"{item.position}. СЛУШАЛИ:", heard)
        if item.spoke:
            _labelled(doc, "ВЫСТУПИЛИ:", item.spoke)
        _para(doc, "РЕШИЛИ:", bold=True, space_after=2)
        decisions = [d for d in m.decisions if d.agenda_item_id == item.id]
        lines = [line.strip() for line in item.decided.splitlines() if line.strip()]
        lines += [d.text + _terms(d) for d in decisions]
        for n, text in enumerate(lines or ["—"], start=1):
            _para(doc, f"{item.position}.{n}. {text}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=2, indent=0.75)
        _para(doc, space_after=6)
    loose = [d for d in m.decisions if d.agenda_item_id is None]
    if loose:
        _para(doc, "Общие решения:", bold=True, space_after=2)
        for n, d in enumerate(loose, start=1):
            _para(doc, f"{n}. {d.text}{_terms(d)}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=2, indent=0.75)
    _para(doc)
    signs = table(doc, None, [[label, "____________", _signature_name(person.staff) if person else ""]
                              for label, person in (("Председатель", chair), ("Секретарь", secretary))],
                  weights=[3, 2, 3], grid=False)
    for row_ in signs.rows:
        row_.cells[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _terms(d) -> str:
    parts = []
    if d.responsible:
        parts.append(f"ответственный: {d.responsible}")
    if d.due_date:
        parts.append(f"срок: до {ru_date(d.due_date)}")
    return f" ({'; '.join(parts)})" if parts else ""
