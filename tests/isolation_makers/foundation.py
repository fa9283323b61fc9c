"""Isolation makers for the foundation's routes."""
from tests.factories import make_staff

MAKERS = {
    "staff_id": lambda inst: make_staff(inst).id,
}
NOT_TENANT_IDS = {
    "token_id": 999999,
}
