"""Saving and serving attachments. The type is decided by the bytes, not by the name or the browser."""
from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from pathlib import Path

import filetype
from flask import current_app
from werkzeug.datastructures import FileStorage

from portal.errors import Invalid
from portal.extensions import db
from portal.storage.store import chunked, send, store
from portal.uploads.models import Attachment
from tenants.context import current_scope
from tenants.queries import get_or_404

ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
}
OOXML_MARKERS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ALLOWED_HINT = "PDF, JPEG, PNG, DOCX, XLSX или PPTX"


def sniff(data: bytes) -> str | None:
    """The real type of the bytes, or None when it is not one we accept."""
    kind = filetype.guess(data)
    if kind is not None and kind.mime in ALLOWED and not kind.mime.startswith("application/vnd"):
        return kind.mime
    if data[:4] == b"PK\x03\x04":
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            for prefix, mime in OOXML_MARKERS.items():
                if any(n.startswith(prefix) for n in names):
                    return mime
    return None


def expected_mime_for(name: str) -> str | None:
    ext = Path(name).suffix.lower()
    return {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
            ".docx": ALLOWED_MIME_DOCX, ".xlsx": ALLOWED_MIME_XLSX,
            ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}.get(ext)


ALLOWED_MIME_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED_MIME_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def save_upload(file: FileStorage | None, owner_type: str, owner_id: int, *, field: str = "file",
                uploaded_by_id: int | None = None, max_mb: int | None = None) -> Attachment:
    """Check and store one uploaded file for the current institution; raise Invalid with a Russian reason."""
    if file is None or not file.filename:
        raise Invalid(field, "Выберите файл.")
    data = file.read()
    limit = (max_mb * 1024 * 1024) if max_mb else current_app.config["MAX_CONTENT_LENGTH"]
    if len(data) > limit:
        raise Invalid(field, f"Файл больше {limit // (1024 * 1024)} МБ.")
    if not data:
        raise Invalid(field, "Файл пустой.")
    mime = sniff(data)
    if mime is None:
        raise Invalid(field, f"Этот тип файла не принимается. Допустимы {ALLOWED_HINT}.")
    declared = expected_mime_for(file.filename)
    if declared is not None and declared != mime:
        raise Invalid(field, f"Содержимое файла не соответствует расширению: это {ALLOWED[mime]}, а не "
                             f"{Path(file.filename).suffix.lstrip('.').upper()}.")
    institution_id = current_scope().single_institution
    if institution_id is None:
        raise RuntimeError("uploads need a single-institution scope")
    key = f"{institution_id}/{uuid.uuid4().hex}"
    # Written before the row, in the store of the deployment (portal/storage): a full disk is StorageFull with a
    # Russian message and nothing left behind.
    store().put(key, chunked(data))
    attachment = Attachment(owner_type=owner_type, owner_id=owner_id, filename=_clean_name(file.filename),
                            storage_key=key, content_type=mime, size=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=uploaded_by_id)
    db.session.add(attachment)
    db.session.flush()
    return attachment


def _clean_name(name: str) -> str:
    name = Path(name.replace("\\", "/")).name
    return "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"/|?*')[:200] or "файл"


def get_attachment(attachment_id: int, owner_type: str | None = None, owner_id: int | None = None) -> Attachment:
    """Scoped lookup: another institution's attachment (or one of another owner) is NotFound."""
    owner = {k: v for k, v in (("owner_type", owner_type), ("owner_id", owner_id)) if v is not None}
    return get_or_404(Attachment, attachment_id, "Файл не найден.", **owner)


def attachments_of(owner_type: str, owner_id: int) -> list[Attachment]:
    return list(db.session.execute(db.select(Attachment).where(
        Attachment.owner_type == owner_type, Attachment.owner_id == owner_id).order_by(Attachment.id)).scalars())


def attachments_by_owner(owner_type: str, owner_ids) -> dict[int, list[Attachment]]:
    """The attachments of many owners in one statement: owner id → its attachments (a page of many items)."""
    out: dict[int, list[Attachment]] = {}
    ids = list(owner_ids)
    if ids:
        for a in db.session.execute(db.select(Attachment).where(
                Attachment.owner_type == owner_type, Attachment.owner_id.in_(ids)).order_by(Attachment.id)).scalars():
            out.setdefault(a.owner_id, []).append(a)
    return out


def send_attachment(attachment: Attachment):
    """Streamed from the store: any node serves what any node stored."""
    return send(attachment.storage_key, attachment.content_type, attachment.filename)


def delete_attachment_file(attachment: Attachment) -> None:
    """The file of an attachment whose row is being deleted (erasure): from whichever store holds it."""
    store().delete(attachment.storage_key)
