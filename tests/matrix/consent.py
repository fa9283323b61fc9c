"""Role matrix for consent, the person's data and erasure."""
from tests.matrix.names import C, CO, H

MATRIX = {
    "consent.page": {H, C, CO},
    "consent.record_consent": {H, C},
    "consent.withdraw": {H, C},
    "consent.export": {H, C},
    "consent.erase": {H},
    "erasure.acts": {H},
    "erasure.act_docx": {H},
}
