"""The registry of mentors: built on demand and every March for each municipality (seed roadmap item 27)."""
from datetime import date

from celery import shared_task

from portal.extensions import db
from portal.jobs.services import claim_period
from portal.region import registry as region_registry
from portal.region.models import RegionRegistryExport
from portal.registry.models import ExportStatus, RegistryExport
from portal.registry.registry import answer_roadmap, build, request_export
from tenants.context import across_institutions, platform_scope
from tenants.models import Municipality, Region
from tenants.queries import municipality_ids_of_region


@shared_task(name="registry.build")
def build_export(export_id: int) -> int:
    with platform_scope("registry: find the export's municipality"):
        row = db.session.execute(db.select(RegistryExport.municipality_id, RegistryExport.status)
                                 .where(RegistryExport.id == export_id)).one_or_none()
    db.session.remove()
    if row is None or row.status is ExportStatus.DONE:
        return 0   # erased since, or built by an earlier delivery of this job
    with across_institutions(municipality_ids={row.municipality_id}, reason="registry of mentors for the regional institute"):
        return build(db.session.get(RegistryExport, export_id)).row_count


@shared_task(name="registry.answer_roadmap")
def answer_roadmap_of_export(export_id: int) -> int:
    """A built export answers roadmap item 27 (the department's task and its institutions'); after the build, in its
    own job, so the export itself only reads and writes files."""
    with platform_scope("registry: find the export's municipality"):
        row = db.session.execute(db.select(RegistryExport.municipality_id, RegistryExport.status)
                                 .where(RegistryExport.id == export_id)).one_or_none()
    db.session.remove()
    if row is None or row.status is not ExportStatus.DONE:
        return 0   # erased since (or, never, not built: the job is submitted with the finished export)
    with across_institutions(municipality_ids={row.municipality_id}, reason="registry of mentors answers the roadmap"):
        answered = answer_roadmap(db.session.get(RegistryExport, export_id))
        db.session.commit()
    return answered


@shared_task(name="registry.yearly")
def yearly() -> int:
    """Every March: one export per municipality, once per year however often the beat sends this."""
    with platform_scope("registry: yearly exports"):
        claim = claim_period(f"registry.yearly:{date.today().year}", "registry.yearly")
        if claim is None:
            return 0
        ids = list(db.session.execute(db.select(Municipality.id).order_by(Municipality.id)).scalars())
        for municipality_id in ids:
            request_export(municipality_id, None, reason="ежегодно, март", parent_id=claim.id)
        db.session.commit()
    return len(ids)


@shared_task(name="registry.build_region")
def build_region_export(export_id: int) -> int:
    """The region's merged registry: every city of the region, read across in one audited scope."""
    with platform_scope("registry: find the export's region"):
        row = db.session.execute(db.select(RegionRegistryExport.region_id, RegionRegistryExport.status)
                                 .where(RegionRegistryExport.id == export_id)).one_or_none()
        cities = municipality_ids_of_region(row.region_id) if row is not None else frozenset()
    db.session.remove()
    if row is None or row.status is ExportStatus.DONE:
        return 0
    with across_institutions(municipality_ids=cities, reason="merged registry of the region for the regional institute",
                             region_id=row.region_id):
        return region_registry.build(db.session.get(RegionRegistryExport, export_id)).row_count


@shared_task(name="registry.region_monthly")
def region_monthly() -> int:
    """On the 1st of every month: one merged registry per region, once per month however often it is sent."""
    with platform_scope("registry: monthly region exports"):
        claim = claim_period(f"registry.region_monthly:{date.today():%Y-%m}", "registry.region_monthly")
        if claim is None:
            return 0
        ids = list(db.session.execute(db.select(Region.id).order_by(Region.id)).scalars())
        for region_id in ids:
            region_registry.request_export(region_id, None, reason="ежемесячно", parent_id=claim.id)
        db.session.commit()
    return len(ids)
