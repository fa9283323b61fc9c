"""For the generated isolation test: how to make a row in a given institution for each id in a URL,
gathered from tests/isolation_makers/<feature>.py. A route whose id has no maker fails the test."""
import importlib
import pkgutil

import tests.isolation_makers

ID_MAKERS: dict = {}
NOT_TENANT_IDS: dict = {}
CITY_MAKERS: dict = {}   # id name -> make(municipality) for /m/<slug>/… routes
for _m in pkgutil.iter_modules(tests.isolation_makers.__path__):
    _module = importlib.import_module(f"tests.isolation_makers.{_m.name}")
    ID_MAKERS.update(getattr(_module, "MAKERS", {}))
    NOT_TENANT_IDS.update(getattr(_module, "NOT_TENANT_IDS", {}))
    CITY_MAKERS.update(getattr(_module, "CITY_MAKERS", {}))
