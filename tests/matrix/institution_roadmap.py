"""Role matrix for the institution's roadmap: read by its head, curator and the city; developed by the curator and
the head; its tasks fulfilled by them (the head approves it by issuing the order, on the orders' pages)."""
from tests.matrix.names import C, CO, H

_READ, _EDIT = {H, C, CO}, {H, C}

MATRIX = {
    "inst_roadmap.index": _READ, "inst_roadmap.page": _READ, "inst_roadmap.docx": _READ,
    "inst_roadmap.create": _EDIT, "inst_roadmap.add_item": _EDIT, "inst_roadmap.update_item": _EDIT,
    "inst_roadmap.remove_item": _EDIT, "inst_roadmap.submit_for_approval": _EDIT,
    "inst_roadmap.withdraw_from_approval": _EDIT, "inst_roadmap.own_task_done": _EDIT,
    "inst_roadmap.own_task_reopen": _EDIT, "inst_roadmap.city_task_done": _EDIT,
    "inst_roadmap_api.list_roadmaps": _READ, "inst_roadmap_api.get_roadmap": _READ,
    "inst_roadmap_api.create_roadmap": _EDIT, "inst_roadmap_api.add_item": _EDIT, "inst_roadmap_api.update_item": _EDIT,
    "inst_roadmap_api.remove_item": _EDIT, "inst_roadmap_api.submit_for_approval": _EDIT,
    "inst_roadmap_api.withdraw_from_approval": _EDIT, "inst_roadmap_api.own_task_done": _EDIT,
    "inst_roadmap_api.own_task_reopen": _EDIT, "inst_roadmap_api.city_task_done": _EDIT,
}
