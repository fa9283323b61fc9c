"""Role matrix for the annual report: the institution writes and submits, the city reviews and analyses."""
from tests.matrix.names import C, CO, H

MATRIX = {
    "annual.index": {H, C, CO},
    "annual.generate": {H, C},
    "annual.save_texts": {H, C},
    "annual.submit": {H, C},
    "annual.report_docx": {H, C, CO},
    "annual_city.city_index": {CO},
    "annual_city.report_page": {CO},
    "annual_city.city_report_docx": {CO},
    "annual_city.accept": {CO},
    "annual_city.return_report": {CO},
    "annual_city.analysis_docx": {CO},
    "annual_city.analysis_xlsx": {CO},
    "annual_api.list_reports": {H, C, CO},
    "annual_api.generate": {H, C},
    "annual_api.get_report": {H, C, CO},
    "annual_api.save_texts": {H, C},
    "annual_api.submit": {H, C},
    "annual_api.report_docx": {H, C, CO},
    "annual_city_api.city_list": {CO},
    "annual_city_api.accept": {CO},
    "annual_city_api.return_report": {CO},
    "annual_city_api.analysis_docx": {CO},
}
