"""Role matrix for mentoring in the JSON API."""
from tests.matrix.names import C, CO, H, ME, MR

MATRIX = {
    "mentoring_api.list_groups": {H, C, CO},
    "mentoring_api.get_group": {H, C, CO},
    "programs_api.list_programs": {H, C, MR, ME, CO},
    "programs_api.get_program": {H, C, MR, ME, CO},
    "programs_api.add_item": {H, C, MR},
    "programs_api.item_done": {H, C, MR, ME},
    "mentoring_api.list_orders": {H, C, CO},
    "mentoring_api.get_order": {H, C, CO},
    "mentoring_api.order_docx": {H, C, CO},
    "mentoring_api.create_group": {H, C},
    "mentoring_api.record_consent": {H, C},
    "mentoring_api.import_list": {H, C},
    "mentoring_api.create_order": {H, C},
    "mentoring_api.update_order": {H, C},
    "mentoring_api.set_order_item": {H, C},
    "mentoring_api.issue_order": {H, C},   # a curator only under the head's delegation (the service checks)
    "mentoring_api.close_year": {H, C},
}
