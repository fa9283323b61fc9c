"""Notifications of an issued order: a job committed with the order (ids only)."""
from celery import shared_task

from portal.extensions import db
from portal.mentoring.models import Order
from portal.mentoring.orders import notify_issued as notify
from tenants.context import institution_scope, platform_scope


@shared_task(name="orders.notify_issued")
def notify_issued(order_id: int) -> int:
    with platform_scope("order notifications: find the order's institution"):
        institution_id = db.session.execute(db.select(Order.institution_id).where(Order.id == order_id)).scalar_one_or_none()
    db.session.remove()
    if institution_id is None:
        return 0
    with institution_scope(institution_id):
        return notify(db.session.get(Order, order_id))
