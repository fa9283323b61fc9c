"""Role matrix for surveys."""
from tests.matrix.names import C, CO, H, ME, MR

MATRIX = {
    "surveys_city.index": {CO},
    "surveys_city.results": {CO},
    "surveys_city.export": {CO},
    "surveys_city.add_template": {CO},
    "surveys.index_inst": {H, C, MR, ME, CO},
    "surveys.answer": {H, C, MR, ME},
    "surveys.results_inst": {H, C, CO},
    "surveys_api.results": {CO},
}
