"""Role matrix for the staff registry."""
from tests.matrix.names import C, CO, H

MATRIX = {
    "staff.index": {H, C, CO},
    "staff.export": {H, C, CO},
    "staff.create": {H, C},
    "staff.card": {H, C, CO},
    "staff.edit": {H, C},
    "staff.archive": {H, C},
    "staff.link_account": {H, C},
    "staff.import_file": {H, C},
    "staff.suggest": {H, C},
    "staff_api.list_staff": {H, C, CO},
    "staff_api.get_staff": {H, C, CO},
    "staff_api.create_staff": {H, C},
    "staff_api.update_staff": {H, C},
}
