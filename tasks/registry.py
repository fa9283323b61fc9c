"""The registry of mentors: built on demand and every March for each municipality (seed roadmap item 27)."""
from celery import shared_task


@shared_task(name="registry.build")
def build_export(export_id: int) -> int:
    from portal.extensions import db
    from portal.registry.models import ExportStatus, RegistryExport
    from portal.registry.registry import build
    from tenants.context import across_institutions, platform_scope

    with platform_scope("registry: find the export's municipality"):
        row = db.session.execute(db.select(RegistryExport.municipality_id, RegistryExport.status)
                                 .where(RegistryExport.id == export_id)).one_or_none()
    db.session.remove()
    if row is None or row.status is ExportStatus.DONE:
        return 0   # erased since, or built by an earlier delivery of this job
    with across_institutions(municipality_ids={row.municipality_id}, reason="registry of mentors for the regional institute"):
        return build(db.session.get(RegistryExport, export_id)).row_count


@shared_task(name="registry.yearly")
def yearly() -> int:
    """Every March: one export per municipality, once per year however often the beat sends this."""
    from datetime import date

    from portal.extensions import db
    from portal.jobs.services import claim_period
    from portal.registry.registry import request_export
    from tenants.context import platform_scope
    from tenants.models import Municipality

    with platform_scope("registry: yearly exports"):
        claim = claim_period(f"registry.yearly:{date.today().year}", "registry.yearly")
        if claim is None:
            return 0
        ids = list(db.session.execute(db.select(Municipality.id).order_by(Municipality.id)).scalars())
        for municipality_id in ids:
            request_export(municipality_id, None, reason="ежегодно, март", parent_id=claim.id)
        db.session.commit()
    return len(ids)
