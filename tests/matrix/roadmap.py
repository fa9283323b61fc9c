"""Role matrix for the roadmap: the coordinator under /m/, the institution's head and curator under /i/."""
from tests.matrix.names import C, CO, H

MATRIX = {
    "roadmap_city.index": {CO},
    "roadmap_city.page": {CO},
    "roadmap_city.edit_activity": {CO},
    "roadmap_city.import_file": {CO},
    "roadmap_city.generate": {CO},
    "roadmap_city.matrix": {CO},
    "roadmap_city.matrix_xlsx": {CO},
    "roadmap_city.matrix_cell": {CO},
    "roadmap_city.export": {CO},
    "roadmap_city.review": {CO},
    "roadmap_city.task_file": {CO},
    "roadmap_inst.tasks": {H, C, CO},
    "roadmap_inst.task": {H, C, CO},
    "roadmap_inst.submit_task": {H, C},
    "roadmap_inst.task_file": {H, C, CO},
}

MATRIX.update({
    "indicators.index": {CO},
    "indicators.recompute": {CO},
    "indicators.progress": {CO},
    "indicators.retry": {CO},
    "indicators.export": {CO},
    "indicators.city_report": {CO},
    "inst_indicators.institution_report": {H, C, CO},
    "inst_indicators.institution_xlsx": {H, C, CO},
    "inst_indicators.institution_index": {H, C, CO},
})

MATRIX.update({
    "roadmap_api.list_roadmaps": {CO},
    "roadmap_api.get_roadmap": {CO},
    "roadmap_api.list_city_tasks": {CO},
    "roadmap_api.list_city_snapshots": {CO},
    "roadmap_inst_api.list_tasks": {H, C, CO},
    "roadmap_inst_api.list_snapshots": {H, C, CO},
})

# The roadmap's work: the department's own tasks, separate plans, evidence entries (issue 13).
MATRIX.update({
    "roadmap_work.city_task_list": {CO},
    "roadmap_work.generate_period": {CO},
    "roadmap_work.city_task": {CO},
    "roadmap_work.city_task_done": {CO},
    "roadmap_work.city_task_reopen": {CO},
    "roadmap_work.city_task_entry": {CO},
    "roadmap_work.city_dates": {CO},
    "roadmap_work.add_city_date": {CO},
    "roadmap_work.remove_city_date": {CO},
    "roadmap_work_inst.add_entry": {H, C},
    "roadmap_work_inst.own_dates": {H, C, CO},
    "roadmap_work_inst.add_own_date": {H, C},
    "roadmap_work_inst.remove_own_date": {H, C},
    "roadmap_work_api.generate_tasks": {CO},
    "roadmap_work_api.list_city_tasks": {CO},
    "roadmap_work_api.get_city_task": {CO},
    "roadmap_work_api.city_task_done": {CO},
    "roadmap_work_api.city_task_reopen": {CO},
    "roadmap_work_api.city_task_entry": {CO},
    "roadmap_work_api.list_city_dates": {CO},
    "roadmap_work_api.add_city_date": {CO},
    "roadmap_work_api.remove_city_date": {CO},
    "roadmap_work_inst_api.list_evidence": {H, C, CO},
    "roadmap_work_inst_api.add_entry": {H, C},
    "roadmap_work_inst_api.list_own_dates": {H, C, CO},
    "roadmap_work_inst_api.add_own_date": {H, C},
    "roadmap_work_inst_api.remove_own_date": {H, C},
})
