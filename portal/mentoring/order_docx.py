"""The order as DOCX in the layout of the seed's №333-0: heading, date and number, title, preamble, «ПРИКАЗЫВАЮ:»
with numbered items and sub-items, the signature, «С приказом ознакомлены:» as a table to sign on paper, then
each appendix on its own page («Приложение 1 к приказу от … № …»), the list of mentors and mentees as its table."""
from __future__ import annotations

import io
from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from portal.documents.docx_layout import merge_down, new_document, para, plain_row, table
from portal.formatting import months_between, ru_date, tenure_words
from portal.local_acts.docx import add_act_body
from portal.mentoring import appendices as appendix_kinds
from portal.mentoring.models import Order
from portal.mentoring.order_items import numbered, stated_due

__all__ = ["render_order", "appendix_rows", "mentee_tenure", "add_group_list"]


def appendix_header(short_name: str) -> list[str]:
    return ["№", "Ф.И.О. наставника", "Квалификационная категория наставников", "Ф.И.О. наставляемого",
            f"Стаж педагогической работы наставляемого в {short_name}"]


def mentee_tenure(member, as_of: date) -> str:
    """The tenure column as of the order's date: computed from the start in this institution (or of pedagogical
    work) when it is known; «Молодой специалист» where the list stated it and no start is known; else the list's
    words as written."""
    staff = member.staff
    start = staff.institution_start or staff.pedagogical_start
    if start is not None and months_between(start, as_of) >= 1:
        return tenure_words(start, as_of)
    stated = (member.stated_tenure or "").strip()
    if staff.young_specialist_manual or stated.lower().startswith("молод"):
        return "Молодой специалист"
    if start is not None:
        return tenure_words(start, as_of)
    return stated


def appendix_rows(order: Order) -> list[tuple[str, str, list]]:
    """[(mentor names, mentor category, [mentee members…])] in the order of the list: pairs by their number,
    mentees as the file listed them; a mentor of several pairs is written once over all her mentees."""
    merged: list[tuple[str, str, list]] = []
    for group in order.groups:
        mentors = [m.staff for m in group.mentors]
        mentees = list(group.mentees)
        if not mentors or not mentees:
            continue
        names = ", ".join(s.full_name for s in mentors)
        category = ", ".join(dict.fromkeys(s.category.label.lower() for s in mentors))
        same = next((b for b in merged if b[0] == names), None)
        if same is not None:
            same[2].extend(mentees)
        else:
            merged.append((names, category, mentees))
    return merged


def add_group_list(doc, order: Order, institution, as_of: date, title: str) -> None:
    head, sep, tail = title.rpartition(" на ")  # «… МАДОУ ДСКВ «Радуга»» / «на 2022-2023 учебный год», as in the seed
    for n, line in enumerate([head, "на " + tail] if sep else [title]):
        para(doc, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12 if n or not sep else 0,
             keep_with_next=True)
    blocks = appendix_rows(order)
    rows, spans = [], []
    for names, category, mentees in blocks:
        first = len(rows)
        for i, member in enumerate(mentees):
            rows.append([str(len(rows) + 1), names if i == 0 else "", category if i == 0 else "",
                         member.staff.full_name, mentee_tenure(member, as_of)])
        spans.append((first, len(rows) - 1))
    t = table(doc, appendix_header(institution.short_name), rows, weights=[0.2, 1.3, 1, 1.3, 0.9], align_center=(0,))
    for first, last in spans:
        for col in (1, 2):  # the mentor's name once over the rows of her mentees, as in the seed
            merge_down(t, first + 1, last + 1, col)


def _items(doc, order: Order) -> None:
    """Items as written. Who is responsible and by when is printed only where the text does not say it already:
    an item addressed to someone («2. Заместителю заведующего:») covers its sub-items."""
    addressed: set[int] = set()
    for number, depth, item in numbered(order.items):
        if item.parent_id in addressed or item.text.rstrip().endswith(":"):
            addressed.add(item.id)
        text = f"{number} {item.text}"
        extra = []
        if item.id not in addressed:
            if item.responsible is not None and item.responsible.last_name not in item.text:
                extra.append(f"ответственный — {item.responsible.short_name}")
            elif item.responsible is None and item.responsible_text and \
                    item.responsible_text.lower() not in item.text.lower():
                extra.append(f"ответственный — {item.responsible_text}")
        if item.due_date and ru_date(item.due_date) not in item.text and not _states_due(item.text) \
                and not item.text.rstrip().endswith(":"):
            extra.append(f"срок — до {ru_date(item.due_date)}")
        if extra:
            text = text.rstrip(" .;") + f" ({'; '.join(extra)})."
        p = para(doc, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=3)
        p.paragraph_format.left_indent = Cm(0.75 * depth)


def _states_due(text: str) -> bool:
    return stated_due(text, "2000-2001") is not None


def _acknowledgements(doc, order: Order) -> None:
    para(doc, "С приказом ознакомлены:", space_after=6, keep_with_next=True)
    rows = []
    for n, ack in enumerate(order.acknowledgements, start=1):
        rows.append([str(n), ack.staff.short_name, f"до {ru_date(ack.due_date)}",
                     ru_date(ack.acknowledged_at) if ack.acknowledged_at else "", ""])
    table(doc, ["№", "Ф.И.О.", "Срок", "Дата ознакомления", "Подпись"], rows, weights=[0.2, 1.6, 0.8, 0.9, 1.2],
          align_center=(0, 2, 3))


def render_order(order: Order, institution) -> bytes:
    doc = new_document()
    para(doc, institution.full_name.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    para(doc, "П Р И К А З", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=14, space_after=12)
    plain_row(doc, ru_date(order.issued_on), f"№ {order.number}", right_share=0.3)
    para(doc, "")
    para(doc, order.title, bold=True, space_after=12)
    if order.preamble:
        para(doc, order.preamble + ("," if not order.preamble.rstrip().endswith((",", ".", ":")) else ""),
             align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6)
    para(doc, "ПРИКАЗЫВАЮ:", bold=True, space_after=6)
    _items(doc, order)
    para(doc, "")
    plain_row(doc, order.signer_position or f"Руководитель\n{institution.short_name}", order.signer_name or "",
              right_share=0.35)
    para(doc, "")
    if order.acknowledgements:
        _acknowledgements(doc, order)
    for n, appendix in enumerate(sorted(order.appendices, key=lambda a: a.position), start=1):
        para(doc, f"Приложение {n}", align=WD_ALIGN_PARAGRAPH.RIGHT).paragraph_format.page_break_before = True
        para(doc, f"к приказу от {ru_date(order.issued_on)} № {order.number}", align=WD_ALIGN_PARAGRAPH.RIGHT,
             space_after=12)
        title = appendix_kinds.title(appendix, order, institution)
        if appendix.kind == "group_list":
            add_group_list(doc, order, institution, order.issued_on, title)
        elif appendix.kind == "local_act" and appendix.act_version is not None:
            add_act_body(doc, appendix.act_version, institution)
        elif appendix.kind == "file":
            para(doc, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
            name = appendix.attachment.filename if appendix.attachment is not None else ""
            para(doc, f"Приложен файл «{name}».", italic=True)
        else:
            para(doc, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
            for line in (appendix.text or "").splitlines():
                if line.strip():
                    para(doc, line.strip(), align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=3)
        para(doc, "")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
