"""Role matrix for the personalization of programs: proposals of the mentee, the institution's templates."""
from tests.matrix.names import C, H, ME, MR

MATRIX = {
    "programs.propose_item": {H, C, MR, ME},
    "programs.decide_proposal": {H, C, MR},
    "programs.save_template": {H, C, MR},
    "programs.templates_page": {H, C, MR},
    "programs.delete_template": {H, C},
    "programs_api.create_program": {H, C, MR},
    "programs_api.propose_item": {H, C, MR, ME},
    "programs_api.decide_proposal": {H, C, MR},
    "programs_api.list_templates": {H, C, MR},
    "programs_api.save_template": {H, C, MR},
}
