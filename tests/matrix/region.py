"""Role matrix for the region's pages and API: the regional institute's account reads; the platform admin too, and
only the admin starts a build (the region's account is refused every unsafe method by tenants.routing)."""
from tests.matrix.names import AD, RG

MATRIX = {
    "region.home": {RG, AD},
    "region.registry_page": {RG, AD},
    "region.build": {AD},
    "region.progress": {RG, AD},
    "region.download": {RG, AD},
    "region.indicators_page": {RG, AD},
    "region.indicators_xlsx": {RG, AD},
    "region_api.latest": {RG, AD},
    "region_api.start_build": {AD},
    "region_api.export_status": {RG, AD},
    "region_api.indicators_rollup": {RG, AD},
}
