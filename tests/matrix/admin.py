"""Role matrix for the admin and coordinator screens."""
from tests.matrix.names import AD, CO

MATRIX = {
    "admin.institutions": {AD},
    "admin.institution_edit": {AD},
    "admin.municipalities": {AD},
    "admin.users": {AD},
    "admin.user": {AD},
    "admin.user_roles": {AD},
    "admin.user_revoke": {AD},
    "admin.user_active": {AD},
    "admin.user_sessions": {AD},
    "admin.outbox": {AD},
    "city_admin.institutions_city": {CO},
    "city_admin.institution_edit_city": {CO},
    "city_admin.users_city": {CO},
    "city_admin.user_city": {CO},
    "city_admin.user_roles_city": {CO},
    "city_admin.user_revoke_city": {CO},
}
MATRIX.update({"admin.regions": {AD}, "admin.region_edit": {AD}, "admin.municipality_region": {AD}})
