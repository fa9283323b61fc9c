"""Role matrix for the pair's page (members and the institution's overseers; a stranger's pair is a 404 from the
service), the nudges setting, and one's own calendar subscription."""
from tests.matrix.names import AUTH, C, CO, H, ME, MR, PUBLIC

_SEE = {H, C, MR, ME, CO}
_WORK = {H, C, MR, ME}

MATRIX = {
    "pairs.page": _SEE, "pairs.meeting_ics": _SEE,
    "pairs.plan_meeting": _WORK, "pairs.log_meeting": _WORK, "pairs.cancel_meeting": _WORK,
    "pairs.post_message": _WORK, "pairs.save_settings": {H, C},
    "pairs_api.get_pair": _SEE, "pairs_api.meeting_ics": _SEE, "pairs_api.plan_meeting": _WORK,
    "pairs_api.log_meeting": _WORK, "pairs_api.cancel_meeting": _WORK, "pairs_api.post_message": _WORK,
    "pairs_api.get_settings": _SEE, "pairs_api.put_settings": {H, C},
    "calendar.page": {AUTH}, "calendar.issue": {AUTH}, "calendar.revoke": {AUTH}, "calendar.feed": {PUBLIC},
    "calendar_api.calendar_status": {AUTH}, "calendar_api.calendar_issue": {AUTH},
    "calendar_api.calendar_revoke": {AUTH},
}
