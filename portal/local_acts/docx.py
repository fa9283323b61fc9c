"""A local act as DOCX: on its own, or as an appendix of the order that approves it (seed: the Положение is
«приложение 1» of order №333-0)."""
from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from portal.documents.docx_layout import new_document, para
from portal.local_acts.models import LocalActVersion
from portal.local_acts.services import paragraphs


def add_act_body(doc, row: LocalActVersion, institution) -> None:
    """Title (the act's name and the institution) and the text; a file-only редакция is named, not inlined."""
    para(doc, row.act.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True)
    para(doc, institution.full_name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12, keep_with_next=True)
    if not row.text and row.attachment is not None:
        para(doc, f"Текст акта — в приложенном файле «{row.attachment.filename}».", italic=True)
        return
    for kind, line in paragraphs(row.text):
        if kind == "heading":
            para(doc, line, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6, keep_with_next=True)
        else:
            p = para(doc, line, align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=3)
            p.paragraph_format.first_line_indent = Cm(1.25)  # the paragraph indent of Russian office documents
    for p in doc.paragraphs[-1:]:
        p.paragraph_format.space_after = 0


def render_version(row: LocalActVersion, institution) -> bytes:
    doc = new_document()
    stamp = "ПРОЕКТ" if row.is_draft else "УТВЕРЖДЕНО\n" + row.approval_words.removeprefix("утверждено ")
    for n, line in enumerate(stamp.split("\n")):
        para(doc, line, align=WD_ALIGN_PARAGRAPH.RIGHT, bold=n == 0, space_after=0)
    para(doc, f"Редакция № {row.number}", align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=12)
    add_act_body(doc, row, institution)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
