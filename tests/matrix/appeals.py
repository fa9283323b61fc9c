"""Role matrix for requests to replace or relieve a mentor."""
from tests.matrix.names import C, CO, H, ME, MR

MATRIX = {
    "appeals.index": {H, C, MR, ME, CO},
    "appeals.decide": {H, C},
}
