"""Role matrix for incentives: kinds, proposals, the order «О поощрении» drafted from them."""
from tests.matrix.names import C, CO, H, ME, MR

MATRIX = {
    "incentives.index": {H, C, CO},
    "incentives.add_kind": {H, C},
    "incentives.edit_kind": {H, C},
    "incentives.propose_page": {H, C, MR, ME},
    "incentives.propose": {H, C, MR, ME},
    "incentives.decline": {H, C},
    "incentives.draft_order": {H, C},
    "incentives_api.list_kinds": {H, C, CO},
    "incentives_api.create_kind": {H, C},
    "incentives_api.update_kind": {H, C},
    "incentives_api.list_proposals": {H, C, CO},
    "incentives_api.create_proposal": {H, C, MR, ME},
    "incentives_api.decline_proposal": {H, C},
    "incentives_api.create_incentive_order": {H, C},
}
