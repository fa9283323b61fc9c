"""Role matrix for methodological associations: the institution's ШМО (read by everyone in it and the city, formed by
the curator and the head, kept by them and by its chair and secretary — the latter checked per association), and
the city's ГМО and seminars of curators (the coordinator)."""
from tests.matrix.names import C, CO, H, ME, MR

_READ = {H, C, MR, ME, CO}
_FORM = {H, C}
_KEEP = {H, C, MR, ME}

_PAGES = {"index": _READ, "page": _READ, "meeting": _READ, "protocol": _READ, "plan": _READ,
          "create": _FORM, "edit": _FORM, "add_member": _FORM, "member_role": _FORM, "remove_member": _FORM,
          "plan_meeting": _KEEP, "edit_meeting": _KEEP, "cancel_meeting": _KEEP, "add_agenda_item": _KEEP,
          "minutes": _KEEP, "remove_agenda_item": _KEEP, "attendance": _KEEP, "add_decision": _KEEP, "issue": _KEEP,
          "add_plan_line": _KEEP, "remove_plan_line": _KEEP, "approve_plan": _KEEP, "decision_done": _KEEP}
_API = {"list_associations": _READ, "create_association": _FORM, "get_association": _READ, "add_member": _FORM,
        "member_role": _FORM, "remove_member": _FORM, "plan_meeting": _KEEP, "get_meeting": _READ,
        "update_meeting": _KEEP, "cancel_meeting": _KEEP, "add_agenda_item": _KEEP, "minutes": _KEEP,
        "remove_agenda_item": _KEEP, "attendance": _KEEP, "add_decision": _KEEP, "issue": _KEEP, "protocol": _READ,
        "decision_done": _KEEP, "get_plan": _READ, "add_plan_line": _KEEP, "remove_plan_line": _KEEP,
        "approve_plan": _KEEP}

MATRIX = {f"association.{name}": who for name, who in _PAGES.items()}
MATRIX.update({f"city_association.{name}": {CO} for name in _PAGES})
MATRIX.update({f"association_api.{name}": who for name, who in _API.items()})
MATRIX.update({f"city_association_api.{name}": {CO} for name in _API})
