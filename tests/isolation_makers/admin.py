"""Ids in admin URLs are not institution rows; the city routes are checked by the city isolation test."""
NOT_TENANT_IDS = {"user_id": 999999, "binding_id": 999999, "institution_id": 999999}
