"""Role matrix for the foundation's routes."""
from tests.matrix.names import AD, AUTH, C, CO, EX, H, ME, MR, PUBLIC, RG  # noqa: F401

MATRIX: dict[str, set[str]] = {
    # foundation
    "home.index": {AUTH},
    "institution.home": {H, C, MR, ME, CO},
    "city.home": {CO, RG, AD},
    "accounts.login": {PUBLIC},
    "accounts.unlock": {PUBLIC},
    "mfa.code": {PUBLIC},
    "mfa.setup_at_login": {PUBLIC},
    "mfa.profile": {AUTH},
    "mfa.recovery": {AUTH},
    "mfa.admin_reset": {AD},
    "accounts.logout": {AUTH},
    "accounts.profile": {AUTH},
    "accounts.change_password": {AUTH},
    "accounts.create_token": {AUTH},
    "accounts.revoke_token": {AUTH},
    "accounts.forgot_password": {PUBLIC},
    "accounts.reset_password": {PUBLIC},
    "audit.institution_log": {H},
    "city_audit.city_log": {CO},
    "api.openapi": {PUBLIC},
    "api.me": {AUTH},
    "api.institutions": {AUTH},
}
