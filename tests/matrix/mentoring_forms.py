"""Role matrix for the forms of mentoring, participants from outside the institution and speed mentoring."""
from tests.matrix.names import C, CO, H

MATRIX = {
    "mentoring.forms_page": {H, C, CO},
    "mentoring.edit_form": {H, C},
    "mentoring.outside_people": {H, C, CO},
    "mentoring.erase_outside_person": {H, C},
    "mentoring.outside_person_scan": {H, C, CO},
    "mentoring.add_outside_person": {H, C},
    "speed.speed_page": {H, C},
    "speed.hold_speed_meeting": {H, C},
    "mentoring_api.list_forms": {H, C, CO},
    "mentoring_api.create_form": {H, C},
    "mentoring_api.update_form": {H, C},
    "mentoring_api.list_people": {H, C, CO},
    "mentoring_api.create_person": {H, C},
    "mentoring_api.erase_person": {H, C},
    "pairs_api.create_speed_meeting": {H, C},
}
