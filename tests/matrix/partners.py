"""Role matrix for partners and agreements."""
from tests.matrix.names import C, CO, H

MATRIX = {
    "partners.index": {H, C, CO},
    "partners.add_partner": {H, C},
    "partners.add_agreement": {H, C},
    "partners.agreement_file": {H, C, CO},
}
