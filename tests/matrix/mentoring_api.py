"""Role matrix for mentoring in the JSON API."""
from tests.matrix.names import C, CO, H, ME, MR

MATRIX = {
    "mentoring_api.list_groups": {H, C, CO},
    "mentoring_api.get_group": {H, C, CO},
    "mentoring_api.list_programs": {H, C, MR, ME, CO},
    "mentoring_api.get_program": {H, C, MR, ME, CO},
    "mentoring_api.add_item": {H, C, MR},
    "mentoring_api.item_done": {H, C, MR, ME},
    "mentoring_api.list_orders": {H, C, CO},
    "mentoring_api.get_order": {H, C, CO},
    "mentoring_api.order_docx": {H, C, CO},
}
