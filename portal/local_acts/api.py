"""The register of local acts in the JSON API: /api/v1/i/<slug>/acts — the same services and rules as the pages."""
from __future__ import annotations

from flask import g, jsonify
from flask_login import current_user

from portal.api import base
from portal.api.serializers import stamp
from portal.api.schemas import BOOL, DAY, INT, STAMP, STR, array, enum, obj, ref, strict, text
from portal.documents.docx_layout import DOCX_MIME
from portal.documents.responses import docx_response
from portal.exceptions import NotFound
from portal.extensions import csrf
from portal.local_acts import services
from portal.local_acts.docx import render_version
from portal.local_acts.models import ActKind
from tenants.access import KEEP_LOCAL_ACTS, READ_LOCAL_ACTS, allow, can

bp = base.api_institution_blueprint("local_acts_api", __name__, "/acts")


def version_json(v) -> dict:
    return {"id": v.id, "number": v.number, "text": v.text, "note": v.note, "draft": v.is_draft,
            "approved_on": v.approved_on.isoformat() if v.approved_on else None,
            "approving_order_id": v.approving_order_id, "approving_order_ref": v.approving_order_ref or None,
            "approval": v.approval_words, "file": v.attachment.filename if v.attachment else None,
            "created_at": stamp(v.created_at)}


def act_json(a, with_versions: bool = True) -> dict:
    versions = [v for v in a.versions if can(KEEP_LOCAL_ACTS) or not v.is_draft]
    current = a.current
    out = {"id": a.id, "kind": a.kind, "kind_label": a.kind_label, "title": a.title, "public": a.public,
           "current_version_id": current.id if current else None,
           "draft_version_id": a.draft.id if a.draft and can(KEEP_LOCAL_ACTS) else None}
    if with_versions:
        out["versions"] = [version_json(v) for v in versions]
    return out


def _act(act_id: int):
    row = services.act(act_id)
    if not can(KEEP_LOCAL_ACTS) and row.current is None:
        raise NotFound("Локальный акт не найден.")
    return row


@bp.get("")
@allow(READ_LOCAL_ACTS)
def list_acts():
    rows = [a for a in services.acts() if can(KEEP_LOCAL_ACTS) or a.current is not None]
    return jsonify({"items": [act_json(a, with_versions=False) for a in rows], "total": len(rows)})


@bp.post("")
@allow(KEEP_LOCAL_ACTS)
def create_act():
    data = base.json_body()
    row = services.create_act({**data, "public": data.get("public", True)}, current_user.id)
    return jsonify(act_json(row)), 201


@bp.post("/regulation")
@allow(KEEP_LOCAL_ACTS)
def start_regulation():
    return jsonify(act_json(services.start_regulation(g.institution, current_user.id))), 201


@bp.get("/<int:act_id>")
@allow(READ_LOCAL_ACTS)
def get_act(act_id: int):
    return jsonify(act_json(_act(act_id)))


@bp.post("/<int:act_id>/versions")
@allow(KEEP_LOCAL_ACTS)
def new_version(act_id: int):
    data = base.json_body() if base.has_body() else {}
    return jsonify(version_json(services.new_version(services.act(act_id), current_user.id, data.get("note") or ""))), 201


@bp.patch("/<int:act_id>/versions/<int:version_id>")
@allow(KEEP_LOCAL_ACTS)
def save_draft(act_id: int, version_id: int):
    row = services.version(services.act(act_id), version_id)
    data = base.json_body()
    merged = {"text": data.get("text", row.text), "note": data.get("note", row.note), "title": data.get("title"),
              "public": data.get("public")}
    return jsonify(version_json(services.save_draft(row, merged)))


@bp.post("/<int:act_id>/versions/<int:version_id>/approval")
@allow(KEEP_LOCAL_ACTS)
def record_approval(act_id: int, version_id: int):
    row = services.version(services.act(act_id), version_id)
    return jsonify(version_json(services.record_approval(row, base.json_body())))


@bp.get("/<int:act_id>/versions/<int:version_id>/act.docx")
@allow(READ_LOCAL_ACTS)
def version_docx(act_id: int, version_id: int):
    row = services.version(_act(act_id), version_id)
    if row.is_draft and not can(KEEP_LOCAL_ACTS):
        raise NotFound("Редакция не найдена.")
    return docx_response(render_version(row, g.institution), f"act-{row.act_id}-{row.number}.docx")


base.OPENAPI_SCHEMAS.update({
    "LocalActVersion": obj(id=INT, number=INT, text=STR, note=STR, draft=BOOL, approved_on=DAY,
                           approving_order_id={"type": ["integer", "null"]},
                           approving_order_ref={"type": ["string", "null"]}, approval=STR,
                           file={"type": ["string", "null"]}, created_at=STAMP),
    "LocalAct": obj(id=INT, kind=enum(ActKind._value2member_map_), kind_label=STR, title=STR, public=BOOL,
                    current_version_id={"type": ["integer", "null"]}, draft_version_id={"type": ["integer", "null"]},
                    versions=array(ref("LocalActVersion"))),
    "LocalActInput": strict(["kind", "title"], kind=enum(ActKind._value2member_map_, nullable=True),
                            title=text(500), text=text(200_000), note=text(500), public={"type": ["boolean", "null"]}),
    "LocalActVersionNew": strict(note=text(500)),
    "LocalActDraft": strict(title=text(500), text=text(200_000), note=text(500), public={"type": ["boolean", "null"]}),
    "LocalActApproval": strict(["order_number", "order_date"], order_number=text(50),
                               order_date=text(10, "дата приказа, гггг-мм-дд или дд.мм.гггг")),
})
_tag = "local acts"
base.document("/i/{inst_slug}/acts", "get", "Реестр локальных актов", response="LocalAct", list_response=True, tag=_tag)
base.document("/i/{inst_slug}/acts", "post", "Внести акт в реестр (проект, редакция № 1)", body="LocalActInput",
              response="LocalAct", tag=_tag, status="201")
base.document("/i/{inst_slug}/acts/regulation", "post", "Положение о системе наставничества по образцу (разделы 1–9)",
              response="LocalAct", tag=_tag, status="201")
base.document("/i/{inst_slug}/acts/{act_id}", "get", "Акт с редакциями", response="LocalAct", tag=_tag)
base.document("/i/{inst_slug}/acts/{act_id}/versions", "post", "Новая редакция (копия действующей)",
              body="LocalActVersionNew", body_required=False, response="LocalActVersion", tag=_tag, status="201")
base.document("/i/{inst_slug}/acts/{act_id}/versions/{version_id}", "patch", "Изменить проект редакции",
              body="LocalActDraft", response="LocalActVersion", tag=_tag)
base.document("/i/{inst_slug}/acts/{act_id}/versions/{version_id}/approval", "post",
              "Отметить утверждение редакции приказом, изданным на бумаге", body="LocalActApproval",
              response="LocalActVersion", tag=_tag)
base.document("/i/{inst_slug}/acts/{act_id}/versions/{version_id}/act.docx", "get", "Редакция в формате DOCX", tag=_tag)
base.binary_response("/i/{inst_slug}/acts/{act_id}/versions/{version_id}/act.docx", DOCX_MIME, "Файл акта")


def register_api(app) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
