"""Role matrix for the academic year page and closing the year."""
from tests.matrix.names import C, CO, H

MATRIX = {
    "years.index": {H, C, CO},
    "years.close": {H, C},
}
