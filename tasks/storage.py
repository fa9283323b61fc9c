"""The storage sweeper, once a day: stored files that no row refers to (a write whose transaction never committed on
the local folder, a file whose row was removed while its delete failed). Older than a day, so that a write in
progress is never taken. It knows the rows that refer to files (attachments, registry exports), so it sits here,
above portal.storage, which knows none of them."""
from __future__ import annotations

import logging
import re
from datetime import date, timedelta

from celery import shared_task

from portal.extensions import db
from portal.jobs.services import claim_period
from portal.registry.models import RegistryExport
from portal.storage.store import store
from portal.uploads.models import Attachment
from tenants.context import platform_scope

log = logging.getLogger("portal.storage")
REGISTRY_KEY = re.compile(r"^registry/(\d+)-(\d+)\.(xlsx|csv)$")


def referenced(keys: list[str]) -> set[str]:
    found = set(db.session.execute(db.select(Attachment.storage_key).where(Attachment.storage_key.in_(keys))).scalars())
    exports = [(int(m.group(2)), k) for k in keys if (m := REGISTRY_KEY.match(k))]
    if exports:
        alive = set(db.session.execute(db.select(RegistryExport.id).where(
            RegistryExport.id.in_({i for i, _ in exports}))).scalars())
        found |= {k for export_id, k in exports if export_id in alive}
    return found


def sweep_leftovers(older_than: timedelta = timedelta(days=1)) -> int:
    """Remove unreferenced files older than `older_than`; the count removed. Inside a platform scope."""
    target = store()
    candidates = target.keys(older_than)
    orphans = []
    for start in range(0, len(candidates), 500):
        batch = candidates[start:start + 500]
        orphans += sorted(set(batch) - referenced(batch))
    for key in orphans:
        target.delete(key)
    db.session.commit()
    if orphans:
        log.info("storage sweeper removed %d unreferenced file(s)", len(orphans))
    return len(orphans)


@shared_task(name="storage.sweep")
def sweep() -> int:
    with platform_scope("storage sweeper: files without a row"):
        if claim_period(f"storage.sweep:{date.today().isoformat()}", "storage.sweep") is None:
            return 0
        return sweep_leftovers()
