"""The checked-in role matrix: endpoint -> who may call it. A route missing here fails test_role_matrix.

Names: the Role values, "public" (no login) and "authenticated" (any logged-in user).
"""
H, C, MR, ME = "head", "curator", "mentor", "mentee"
CO, RG, AD, EX = "coordinator", "regional", "admin", "expert"
PUBLIC, AUTH = "public", "authenticated"

MATRIX: dict[str, set[str]] = {
    # foundation
    "home.index": {AUTH},
    "institution.home": {H, C, MR, ME, CO},
    "city.home": {CO, RG, AD},
    "accounts.login": {PUBLIC},
    "accounts.logout": {AUTH},
    "accounts.profile": {AUTH},
    "accounts.change_password": {AUTH},
    "accounts.create_token": {AUTH},
    "accounts.revoke_token": {AUTH},
    "accounts.forgot_password": {PUBLIC},
    "accounts.reset_password": {PUBLIC},
    "admin.institutions": {AD},
    "audit.institution_log": {H},
    "city_audit.city_log": {CO},
    "api.openapi": {PUBLIC},
    "api.me": {AUTH},
    "api.institutions": {AUTH},
}
