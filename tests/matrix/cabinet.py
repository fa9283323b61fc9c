"""Role matrix for the person's own pages and the meetings log."""
from tests.matrix.names import C, CO, H, ME, MR

MATRIX = {
    "cabinet.mine": {H, C, MR, ME},
    "cabinet.meetings": {H, C, MR, ME, CO},
}
