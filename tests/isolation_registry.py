"""For the generated isolation test: how to make a row in a given institution for each id in a URL.

Every feature that adds a route with an id adds its maker here; a route whose id has no maker fails the test.
Each maker takes the institution and returns the id.
"""
from __future__ import annotations

from tests.factories import make_staff

ID_MAKERS = {
    "staff_id": lambda inst: make_staff(inst).id,
}

# Ids that are not tenant rows (e.g. the caller's own API token) and the value to put in the URL.
NOT_TENANT_IDS = {
    "token_id": 999999,
}
