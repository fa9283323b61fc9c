"""Order pages of an institution (приказы): the list per academic year, drafting with items, appendices and the
acknowledgement list, the responsible person and due date of an item, issuing, the DOCX, the signed scan, and
acknowledgement by one's own button or on paper. Routes of the `mentoring` blueprint."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, request, url_for
from flask_login import current_user

from portal.documents.responses import docx_response
from portal.exceptions import Invalid, NotFound
from portal.extensions import db
from portal.local_acts.services import acts
from portal.mentoring import appendices, groups, order_drafting, orders, signing
from portal.mentoring.order_docx import render_order
from portal.mentoring.order_items import numbered
from portal.mentoring.states import GroupState, OrderKind
from portal.periods import labelled
from portal.mentoring.blueprint import bp
from portal.uploads.services import save_upload, send_attachment
from portal.web import form_dict, render
from portal.mentoring import years
from portal.years.services import closed_years
from tenants.access import (ACKNOWLEDGE_ORDERS, EDIT_MENTORING, ISSUE_ORDERS, READ_MENTORING, VIEW_INSTITUTION,
                            allow, can, current_roles)

ORDER_FIELDS = ("kind", "number", "issued_on", "academic_year", "title", "preamble", "items", "signer_position",
                "signer_name", "ack_due")
APPENDIX_SLOTS = 4


def _appendix_options() -> list[tuple[str, str]]:
    options = [("list", "Список наставников и наставляемых (пары приказа)")]
    for act in acts():
        for v in reversed(act.versions):
            if v.is_draft or (act.current is not None and v.id == act.current.id):
                options.append((f"act:{v.id}", f"{act.title} — редакция № {v.number}"
                                                f"{' (проект)' if v.is_draft else ' (действующая)'}"))
    return options


def _appendix_values(items: list[dict]) -> list[str]:
    return [("list" if a["kind"] == "group_list" else f"act:{a['act_version_id']}" if a["kind"] == "local_act" else "")
            for a in items]


def _form_data() -> dict:
    """The order form as the services take it: appendices from the «Приложение N» selects, in order."""
    data = {**form_dict(*ORDER_FIELDS), "group_ids": request.form.getlist("group_ids"),
            "ack_staff_ids": request.form.getlist("ack_staff_ids")}
    wanted = []
    for n in range(1, APPENDIX_SLOTS + 1):
        value = (request.form.get(f"appendix_{n}") or "").strip()
        if value == "list":
            wanted.append({"kind": "group_list"})
        elif value.startswith("act:"):
            wanted.append({"kind": "local_act", "act_version_id": value[4:]})
    data["appendices"] = wanted
    return data


def _order_ctx(**extra):
    year = extra.pop("year", None) or years.selected_year(request.args.get("year"))
    data = extra.pop("data", None) or order_drafting.new_form(g.institution)
    known = years.years_with_data()
    following = f"{int(known[0][:4]) + 1}-{int(known[0][:4]) + 2}"
    return {"orders": years.orders_in(year), "year": year, "years": known,
            "year_options": labelled([following, *known]),
            "closed_years": closed_years(), "kinds": [(k.value, k.label) for k in OrderKind],
            "groups": groups.groups([GroupState.PROPOSED, GroupState.APPROVED, GroupState.ACTIVE]),
            "staff": groups.staff_options(), "appendix_options": _appendix_options(),
            "appendix_values": _appendix_values(data.get("appendices") or []), "slots": APPENDIX_SLOTS,
            "errors": {}, "data": data, **extra}


@bp.get("/orders")
@allow(READ_MENTORING)
def order_list():
    return render("mentoring/orders.html", **_order_ctx())


@bp.post("/orders")
@allow(EDIT_MENTORING)
def create_order():
    data = _form_data()
    try:
        row = order_drafting.save_order(data, g.institution)
    except Invalid as exc:
        return render("mentoring/orders.html", "mentoring/_order_form.html", status=422,
                      **_order_ctx(errors=exc.fields, data=data))
    flash("Проект приказа сохранён. Укажите ответственных за пункты, проверьте документ и передайте на подпись.",
          "success")
    return redirect(url_for("mentoring.order_page", order_id=row.id))


def _order_page_ctx(row, **extra) -> dict:
    ctx = {"order": row, "items": numbered(row.items), "is_overdue": orders.is_overdue, "errors": {},
           "may_issue": can(ISSUE_ORDERS) and signing.may_issue(current_user, current_roles()),
           "today": date.today(), "form_errors": {}, "form_data": None, "appendix_title": appendices.title,
           "missing_consents": orders.missing_consents(row) if row.issued_at is None else []}
    if can(EDIT_MENTORING) and row.issued_at is None:
        form = extra.pop("form_data", None) or order_drafting.as_form(row)
        ctx.update(_order_ctx(year=row.academic_year or None, data=form))
        ctx["form_data"] = form
        ctx["errors"] = {}
    ctx.update(extra)
    return ctx


@bp.get("/orders/<int:order_id>")
@allow(VIEW_INSTITUTION)
def order_page(order_id: int):
    row = orders.order(order_id)
    if not can(READ_MENTORING) and not any(a.staff.user_id == current_user.id for a in row.acknowledgements):
        raise NotFound()
    return render("mentoring/order.html", **_order_page_ctx(row))


@bp.post("/orders/<int:order_id>/edit")
@allow(EDIT_MENTORING)
def order_edit(order_id: int):
    row = orders.order(order_id)
    data = _form_data()
    try:
        order_drafting.save_order(data, g.institution, row)
    except Invalid as exc:
        db.session.rollback()
        return render("mentoring/order.html", status=422, **_order_page_ctx(row, form_errors=exc.fields, form_data=data))
    flash("Проект приказа сохранён.", "success")
    return redirect(url_for("mentoring.order_page", order_id=row.id))


@bp.post("/orders/<int:order_id>/items/<int:order_item_id>")
@allow(EDIT_MENTORING)
def order_item(order_id: int, order_item_id: int):
    row = orders.order(order_id)
    try:
        order_drafting.set_item(row, order_item_id, form_dict("responsible_staff_id", "responsible_text", "due_date"))
    except Invalid as exc:
        return render("mentoring/order.html", status=422, **_order_page_ctx(row, errors=exc.fields))
    return redirect(url_for("mentoring.order_page", order_id=row.id, _anchor=f"item-{order_item_id}"))


@bp.post("/orders/<int:order_id>/issue")
@allow(ISSUE_ORDERS)
def order_issue(order_id: int):
    row = orders.order(order_id)
    try:
        orders.issue(row, current_user, current_roles())
    except Invalid as exc:
        return render("mentoring/order.html", status=422, **_order_page_ctx(row, errors=exc.fields))
    flash(f"Приказ № {row.number} издан; участники получат уведомления об ознакомлении.", "success")
    return redirect(url_for("mentoring.order_page", order_id=row.id))


@bp.get("/orders/<int:order_id>/order.docx")
@allow(READ_MENTORING)
def order_docx(order_id: int):
    row = orders.order(order_id)
    return docx_response(render_order(row, g.institution), f"order-{row.id}.docx")


@bp.get("/orders/<int:order_id>/scan")
@allow(READ_MENTORING)
def order_scan(order_id: int):
    return send_attachment(orders.signed_scan(orders.order(order_id)))


@bp.post("/orders/<int:order_id>/scan")
@allow(EDIT_MENTORING)
def attach_scan(order_id: int):
    row = orders.order(order_id)
    try:
        row.signed_scan_id = save_upload(request.files.get("scan"), "order", row.id, field="scan",
                                         uploaded_by_id=current_user.id).id
        db.session.commit()
    except Invalid as exc:
        db.session.rollback()
        return render("mentoring/order.html", status=422, **_order_page_ctx(row, errors=exc.fields))
    flash("Скан подписанного приказа прикреплён.", "success")
    return redirect(url_for("mentoring.order_page", order_id=row.id))


@bp.post("/acknowledgements/<int:ack_id>")
@allow(ACKNOWLEDGE_ORDERS)
def acknowledge(ack_id: int):
    ack = orders.acknowledge(ack_id, current_user)
    return render("mentoring/_ack_button.html", ack=ack, is_overdue=orders.is_overdue)


@bp.post("/acknowledgements/<int:ack_id>/paper")
@allow(EDIT_MENTORING)
def acknowledge_paper(ack_id: int):
    ack = orders.record_paper_signature(ack_id, current_user.id, request.form.get("signed_on", ""))
    return redirect(url_for("mentoring.order_page", order_id=ack.order_id))


@bp.post("/orders/<int:order_id>/acknowledgements/paper")
@allow(EDIT_MENTORING)
def acknowledge_paper_list(order_id: int):
    row = orders.order(order_id)
    try:
        n = orders.record_paper_signatures(row, request.form.getlist("ack_ids"), current_user.id,
                                           request.form.get("signed_on", ""))
    except Invalid as exc:
        db.session.rollback()
        flash(" ".join(exc.fields.values()) if exc.fields else str(exc), "danger")
    else:
        flash(f"Подписи на бумаге отмечены: {n}.", "success")
    return redirect(url_for("mentoring.order_page", order_id=row.id))

