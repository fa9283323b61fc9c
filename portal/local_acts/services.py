"""Rules of the register of local acts: an act and its versions (редакции), drafting, the starting Положение in
the seed's structure (sections 1–9), approval by an order (issued in the portal or recorded from paper), and
what the institution's public page lists (seed §8.1, «нормативно-правовая база»)."""
from __future__ import annotations

from datetime import date
from pathlib import Path
import re

from portal.exceptions import Invalid, NotFound
from portal.extensions import db
from portal.formatting import parse_ru_date, ru_date
from portal.local_acts.models import ActKind, LocalAct, LocalActVersion
from portal.uploads.services import get_attachment, save_upload
from tenants.queries import get_or_404

REGULATION_TITLE = "Положение о системе наставничества педагогических работников"
_TEMPLATE = Path(__file__).with_name("regulation_template.txt")


def acts() -> list[LocalAct]:
    return list(db.session.execute(db.select(LocalAct).order_by(LocalAct.kind, LocalAct.id)).scalars())


def act(act_id) -> LocalAct:
    return get_or_404(LocalAct, act_id, "Локальный акт не найден.")


def version(act_row: LocalAct, version_id) -> LocalActVersion:
    return get_or_404(LocalActVersion, version_id, "Редакция не найдена.", act_id=act_row.id)


def any_version(version_id) -> LocalActVersion:
    return get_or_404(LocalActVersion, version_id, "Редакция локального акта не найдена.")


def version_file(row: LocalActVersion):
    if row.attachment_id is None:
        raise NotFound("К этой редакции файл не приложен.")
    return get_attachment(row.attachment_id, "local_act_version", row.id)


def regulation() -> LocalAct | None:
    """The institution's Положение о системе наставничества (the first act of that kind)."""
    return db.session.execute(db.select(LocalAct).where(LocalAct.kind == ActKind.REGULATION.value)
                              .order_by(LocalAct.id)).scalars().first()


def regulation_template(institution) -> str:
    return _TEMPLATE.read_text(encoding="utf-8").replace("{short_name}", institution.short_name)


def _clean_act(data: dict) -> tuple[str, str]:
    errors = {}
    kind = data.get("kind") or ""
    if kind not in ActKind._value2member_map_:
        errors["kind"] = "Выберите вид акта: " + ", ".join(k.label for k in ActKind) + "."
    title = " ".join((data.get("title") or "").split())
    if not title:
        errors["title"] = "Укажите наименование акта, например «Положение о системе наставничества»."
    elif len(title) > 500:
        errors["title"] = "Наименование — не длиннее 500 символов."
    if errors:
        raise Invalid(fields=errors)
    return kind, title


def create_act(data: dict, actor_id: int | None, file=None) -> LocalAct:
    """A new act with its first draft; text or a file is required (a file may be the signed scan alone)."""
    kind, title = _clean_act(data)
    text = (data.get("text") or "").strip()
    has_file = file is not None and bool(getattr(file, "filename", ""))
    if not text and not has_file:
        raise Invalid("text", "Впишите текст акта или приложите файл.")
    row = LocalAct(kind=kind, title=title, public=bool(data.get("public", True)))
    first = LocalActVersion(number=1, text=text, note=(data.get("note") or "").strip()[:500], created_by_id=actor_id)
    row.versions.append(first)
    db.session.add(row)
    db.session.flush()
    if has_file:
        first.attachment_id = save_upload(file, "local_act_version", first.id, uploaded_by_id=actor_id).id
    db.session.commit()
    return row


def start_regulation(institution, actor_id: int | None) -> LocalAct:
    """The Положение in the seed's structure (sections 1–9) as a draft the institution then edits."""
    if regulation() is not None:
        raise Invalid("kind", "Положение о системе наставничества уже есть в реестре: создайте новую редакцию.")
    return create_act({"kind": ActKind.REGULATION.value, "title": REGULATION_TITLE,
                       "text": regulation_template(institution), "note": "Первоначальная редакция"}, actor_id)


def save_draft(row: LocalActVersion, data: dict) -> LocalActVersion:
    if not row.is_draft:
        raise Invalid("state", "Утверждённая редакция не меняется: создайте новую редакцию.")
    text = (data.get("text") or "").strip()
    if not text and row.attachment_id is None:
        raise Invalid("text", "Впишите текст акта или приложите файл.")
    row.text = text
    row.note = (data.get("note") or "").strip()[:500]
    if data.get("title") is not None:
        _, row.act.title = _clean_act({"kind": row.act.kind, "title": data.get("title")})
    if data.get("public") is not None:
        row.act.public = bool(data["public"])
    db.session.commit()
    return row


def attach_file(row: LocalActVersion, file, actor_id: int | None) -> LocalActVersion:
    if not row.is_draft:
        raise Invalid("state", "Утверждённая редакция не меняется: создайте новую редакцию.")
    row.attachment_id = save_upload(file, "local_act_version", row.id, uploaded_by_id=actor_id).id
    db.session.commit()
    return row


def new_version(act_row: LocalAct, actor_id: int | None, note: str = "") -> LocalActVersion:
    """The next редакция starts as a copy of the one in force; one draft at a time."""
    if act_row.draft is not None:
        raise Invalid("state", f"Редакция № {act_row.draft.number} ещё не утверждена: измените её.")
    base = act_row.current
    row = LocalActVersion(number=max(v.number for v in act_row.versions) + 1, text=base.text if base else "",
                          note=(note or "").strip()[:500], created_by_id=actor_id)
    act_row.versions.append(row)
    db.session.commit()
    return row


def record_approval(row: LocalActVersion, data: dict, today: date | None = None) -> LocalActVersion:
    """An approval by an order issued outside the portal (on paper, before the portal): its number and date."""
    today = today or date.today()
    if not row.is_draft:
        raise Invalid("state", "Эта редакция уже утверждена.")
    errors = {}
    number = (data.get("order_number") or "").strip()
    if not number:
        errors["order_number"] = "Укажите номер приказа, которым утверждена редакция."
    elif len(number) > 50:
        errors["order_number"] = "Номер приказа — не длиннее 50 символов."
    day = parse_ru_date(data.get("order_date") or "")
    if day is None:
        errors["order_date"] = "Дата приказа в формате дд.мм.гггг."
    elif day > today:
        errors["order_date"] = "Дата приказа не может быть в будущем."
    if not errors and not row.text and row.attachment_id is None:
        errors["text"] = "У редакции нет ни текста, ни файла."
    if errors:
        raise Invalid(fields=errors)
    row.approved_on, row.approving_order_ref = day, f"приказом от {ru_date(day)} № {number}"
    db.session.commit()
    return row


def approve_by_order(row: LocalActVersion, order) -> None:
    """Issuing an order that has this редакция as an appendix approves it (seed order item 1.1). No commit: the
    caller issues the order in the same transaction."""
    if row.is_draft:
        row.approved_on, row.approving_order_id = order.issued_on, order.id


def check_approvable(row: LocalActVersion) -> str | None:
    """Why this редакция cannot be approved by an order, or None."""
    if row.is_draft and not row.text and row.attachment_id is None:
        return f"«{row.act.title}», редакция № {row.number}: нет ни текста, ни файла."
    return None


def in_force(public_only: bool = False) -> list[tuple[LocalAct, LocalActVersion]]:
    """Acts with a version in force, for the register's summary and the institution's public page."""
    out = []
    for row in acts():
        if public_only and not row.public:
            continue
        if row.current is not None:
            out.append((row, row.current))
    return out


def published(institution_id: int) -> list[tuple[LocalAct, LocalActVersion]]:
    """For the institution's public page (seed §8.1): acts marked public, their version in force. The public scope
    spans the city, so the institution is named here, as every public service does."""
    rows = db.session.execute(db.select(LocalAct).where(LocalAct.institution_id == institution_id,
                                                        LocalAct.public.is_(True)).order_by(LocalAct.kind, LocalAct.id))
    return [(a, a.current) for a in rows.scalars() if a.current is not None]


def published_version(institution_id: int, version_id) -> LocalActVersion:
    """A version shown publicly only while it is the one in force of a public act of this institution."""
    row = get_or_404(LocalActVersion, version_id, "Документ не найден.", institution_id=institution_id)
    if not row.act.public or row.act.current is None or row.act.current.id != row.id:
        raise NotFound("Документ не найден.")
    return row


def paragraphs(text: str) -> list[tuple[str, str]]:
    """The act's text as (kind, line): a line «3. Организация системы наставничества» without a final stop is a
    section heading, the rest are paragraphs; the same reading for the page and the DOCX."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        heading = re.fullmatch(r"\d{1,2}\.\s+[^.;:]{2,200}(\.[^.;:]+)*", line) and not line.endswith((".", ";", ":"))
        out.append(("heading" if heading else "paragraph", line))
    return out
