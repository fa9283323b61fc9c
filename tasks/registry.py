"""The registry of mentors: built on demand and every March for each municipality (seed roadmap item 27)."""
from celery import shared_task

from tasks.schedule import crontab, periodic


@shared_task(name="registry.build", acks_late=True)
def build_export(export_id: int) -> int:
    from portal.extensions import db
    from portal.registry.models import RegistryExport
    from portal.registry.registry import build
    from tenants.context import across_institutions, platform_scope

    with platform_scope("registry: find the export's municipality"):
        municipality_id = db.session.execute(db.select(RegistryExport.municipality_id)
                                             .where(RegistryExport.id == export_id)).scalar_one()
    db.session.remove()
    with across_institutions(municipality_ids={municipality_id}, reason="registry of mentors for the regional institute"):
        return build(db.session.get(RegistryExport, export_id)).row_count


@shared_task(name="registry.yearly")
def yearly() -> int:
    from portal.extensions import db
    from portal.registry.models import RegistryExport
    from tenants.context import platform_scope
    from tenants.models import Municipality

    with platform_scope("registry: yearly exports"):
        ids = []
        for municipality_id in db.session.execute(db.select(Municipality.id)).scalars():
            row = RegistryExport(municipality_id=municipality_id, reason="ежегодно, март")
            db.session.add(row)
            db.session.flush()
            ids.append(row.id)
        db.session.commit()
    for export_id in ids:
        build_export.delay(export_id)
    return len(ids)


periodic("registry-every-march", "registry.yearly", crontab(hour=4, minute=0, day_of_month=1, month_of_year=3))
