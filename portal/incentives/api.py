"""Incentives in the JSON API: kinds, proposals, the order «О поощрении» drafted from them — as on the pages."""
from __future__ import annotations

from flask import g, jsonify
from flask_login import current_user

from portal.api import base
from portal.api.schemas import BOOL, ID, INPUT_DAY, INT, STR, array, enum, obj, ref, strict, text
from portal.extensions import csrf
from portal.incentives import services
from portal.incentives.models import SOURCES
from portal.mentoring.api import order_json
from tenants.access import EDIT_MENTORING, PROPOSE_INCENTIVES, READ_MENTORING, allow, can

bp = base.api_institution_blueprint("incentives_api", __name__)


def kind_json(k) -> dict:
    return {"id": k.id, "name": k.name, "material": k.material, "description": k.description, "archived": k.archived}


def proposal_json(p) -> dict:
    return {"id": p.id, "staff_id": p.staff_id, "staff": p.staff.short_name, "kind_id": p.kind_id, "kind": p.kind.name,
            "grounds": p.grounds, "source": p.source, "association_id": p.association_id, "state": p.state,
            "order_id": p.order_id, "incentive_id": p.incentive_id}


def _s(body: dict, *keys) -> dict:
    return {k: ("" if body.get(k) is None else str(body[k])) for k in keys if k in body}


@bp.get("/incentive-kinds")
@allow(READ_MENTORING)
def list_kinds():
    return jsonify({"items": [kind_json(k) for k in services.kinds(archived=True)]})


@bp.post("/incentive-kinds")
@allow(EDIT_MENTORING)
def create_kind():
    body = base.json_body()
    return jsonify(kind_json(services.save_kind({**_s(body, "name", "description"),
                                                 "material": bool(body.get("material"))}))), 201


@bp.put("/incentive-kinds/<int:incentive_kind_id>")
@allow(EDIT_MENTORING)
def update_kind(incentive_kind_id: int):
    body = base.json_body()
    data = {**_s(body, "name", "description"), **{k: bool(body[k]) for k in ("material", "archived") if k in body}}
    return jsonify(kind_json(services.save_kind(data, services.kind(incentive_kind_id))))


@bp.get("/incentive-proposals")
@allow(READ_MENTORING)
def list_proposals():
    return jsonify({"items": [proposal_json(p) for p in services.proposals()]})


@bp.post("/incentive-proposals")
@allow(PROPOSE_INCENTIVES)
def create_proposal():
    body = base.json_body()
    row = services.propose(_s(body, "staff_id", "kind_id", "grounds", "source", "association_id"), current_user,
                           can(EDIT_MENTORING))
    return jsonify(proposal_json(row)), 201


@bp.post("/incentive-proposals/<int:incentive_proposal_id>/decline")
@allow(EDIT_MENTORING)
def decline_proposal(incentive_proposal_id: int):
    body = base.json_body()
    return jsonify(proposal_json(services.decline(services.proposal(incentive_proposal_id), _s(body, "note").get("note", ""))))


@bp.post("/incentive-orders")
@allow(EDIT_MENTORING)
def create_incentive_order():
    body = base.json_body()
    order = services.draft_order(g.institution, {**_s(body, "number", "issued_on", "title", "ack_due"),
                                                 "proposal_ids": body.get("proposal_ids") or []})
    return jsonify(order_json(order, with_acks=True)), 201


_tag = "incentives"
base.OPENAPI_SCHEMAS.update({
    "IncentiveKind": obj(id=INT, name=STR, material=BOOL, description=STR, archived=BOOL),
    "IncentiveKindList": obj(items=array(ref("IncentiveKind"))),
    "IncentiveKindInput": strict(["name"], name=text(300), material={"type": ["boolean", "null"]},
                                 description=text(5000)),
    "IncentiveKindUpdate": strict(name=text(300), material={"type": ["boolean", "null"]}, description=text(5000),
                                  archived={"type": ["boolean", "null"]}),
    "IncentiveProposal": obj(id=INT, staff_id=INT, staff=STR, kind_id=INT, kind=STR, grounds=STR, source=STR,
                             association_id={"type": ["integer", "null"]}, state=STR,
                             order_id={"type": ["integer", "null"]}, incentive_id={"type": ["integer", "null"]}),
    "IncentiveProposalList": obj(items=array(ref("IncentiveProposal"))),
    "IncentiveProposalInput": strict(["staff_id", "kind_id", "grounds"], staff_id=ID, kind_id=ID, grounds=text(5000),
                                     source=enum(SOURCES, nullable=True), association_id={"type": ["integer", "null"]}),
    "IncentiveDecline": strict(["note"], note=text(2000)),
    "IncentiveOrderInput": strict(["proposal_ids", "number", "issued_on"], proposal_ids=array(ID, 100),
                                  number=text(50), issued_on=INPUT_DAY, title=text(500), ack_due=INPUT_DAY),
})
base.document("/i/{inst_slug}/incentive-kinds", "get", "Виды поощрений организации", response="IncentiveKindList",
              tag=_tag)
base.document("/i/{inst_slug}/incentive-kinds", "post", "Добавить вид поощрения", body="IncentiveKindInput",
              response="IncentiveKind", tag=_tag, status="201")
base.document("/i/{inst_slug}/incentive-kinds/{incentive_kind_id}", "put", "Изменить вид поощрения",
              body="IncentiveKindUpdate", response="IncentiveKind", tag=_tag)
base.document("/i/{inst_slug}/incentive-proposals", "get", "Предложения о поощрении",
              response="IncentiveProposalList", tag=_tag)
base.document("/i/{inst_slug}/incentive-proposals", "post", "Предложить поощрить наставника",
              body="IncentiveProposalInput", response="IncentiveProposal", tag=_tag, status="201")
base.document("/i/{inst_slug}/incentive-proposals/{incentive_proposal_id}/decline", "post", "Отклонить предложение",
              body="IncentiveDecline", response="IncentiveProposal", tag=_tag)
base.document("/i/{inst_slug}/incentive-orders", "post", "Проект приказа «О поощрении» из предложений",
              body="IncentiveOrderInput", response="Order", tag=_tag, status="201")


def register_api(app) -> None:
    csrf.exempt(bp)
    app.register_blueprint(bp)
