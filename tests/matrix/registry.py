"""Role matrix for the registry of mentors and mentors' development."""
from tests.matrix.names import C, CO, H, RG

MATRIX = {
    "registry.index": {CO, RG},
    "registry.progress": {CO, RG},
    "registry.download": {CO, RG},
    "registry.retry": {CO, RG},
    "development.page": {H, C, CO},
    "development.add_training": {H, C},
    "development.add_incentive": {H, C},
    "development.certificate": {H, C, CO},
    "registry_api.latest": {CO, RG},
    "development_api.training": {H, C, CO},
}
MATRIX.update({
    "registry.retry": {CO},
    "registry_api.start_build": {CO},
    "registry_api.build_status": {CO, RG},
})
MATRIX.update({"registry.build": {CO}})
