"""Role matrix for banks, matching, pairs and groups, orders and acknowledgements."""
from tests.matrix.names import C, CO, H, ME, MR

MATRIX = {
    "mentoring.bank_page": {H, C, CO},
    "mentoring.add_mentor": {H, C},
    "mentoring.add_need": {H, C},
    "mentoring.match": {H, C},
    "mentoring.add_form": {H, C},
    "mentoring.group_list": {H, C, CO},
    "mentoring.form_group": {H, C},
    "mentoring.group_page": {H, C, CO},
    "mentoring.group_state": {H, C},
    "mentoring.import_groups_file": {H, C},
    "mentoring.consent": {H, C},
    "mentoring.consent_scan": {H, C, CO},
    "mentoring.order_list": {H, C, CO},
    "mentoring.create_order": {H, C},
    "mentoring.order_item": {H, C},
    "mentoring.attach_scan": {H, C},
    "mentoring.order_page": {H, C, MR, ME, CO},
    "mentoring.order_issue": {H, C},
    "mentoring.order_edit": {H, C},
    "mentoring.order_docx": {H, C, CO},
    "mentoring.order_scan": {H, C, CO},
    "mentoring.acknowledge": {H, C, MR, ME},
    "mentoring.acknowledge_paper": {H, C},
}
