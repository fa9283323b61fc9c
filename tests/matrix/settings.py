"""Role matrix for the institution's settings and the head's delegation of issuing orders."""
from tests.matrix.names import C, H

MATRIX = {
    "settings.index": {H, C},
    "settings.save": {H, C},
    "settings.delegate": {H},
    "settings.revoke": {H},
}
