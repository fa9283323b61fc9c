"""Role matrix for the register of local acts (and its public pages)."""
from tests.matrix.names import C, CO, H, ME, MR, PUBLIC

MATRIX = {
    "local_acts.index": {H, C, MR, ME, CO},
    "local_acts.create": {H, C},
    "local_acts.start_regulation": {H, C},
    "local_acts.act_page": {H, C, MR, ME, CO},
    "local_acts.version_page": {H, C, MR, ME, CO},
    "local_acts.version_docx": {H, C, MR, ME, CO},
    "local_acts.version_file": {H, C, MR, ME, CO},
    "local_acts.new_version": {H, C},
    "local_acts.save_draft": {H, C},
    "local_acts.attach_file": {H, C},
    "local_acts.record_approval": {H, C},
    "public_acts.public_version": {PUBLIC},
    "public_acts.public_file": {PUBLIC},
    "local_acts_api.list_acts": {H, C, MR, ME, CO},
    "local_acts_api.create_act": {H, C},
    "local_acts_api.start_regulation": {H, C},
    "local_acts_api.get_act": {H, C, MR, ME, CO},
    "local_acts_api.new_version": {H, C},
    "local_acts_api.save_draft": {H, C},
    "local_acts_api.record_approval": {H, C},
    "local_acts_api.version_docx": {H, C, MR, ME, CO},
}
