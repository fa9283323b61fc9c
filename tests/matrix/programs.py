"""Role matrix for personalized programs (ППН) and their plans."""
from tests.matrix.names import C, CO, H, ME, MR

MATRIX = {
    "programs.index": {H, C, MR, ME, CO},
    "programs.create": {H, C, MR},
    "programs.page": {H, C, MR, ME, CO},
    "programs.edit": {H, C, MR},
    "programs.add_item": {H, C, MR},
    "programs.item_done": {H, C, MR, ME},
    "programs.item_comment": {H, C, MR, ME},
    "programs.evidence": {H, C, MR, ME, CO},
    "programs.state": {H, C, MR},
    "programs.propose_change": {H, C, MR, ME},
    "programs.agree_change": {MR, ME},
    "programs.docx": {H, C, MR, ME, CO},
}
