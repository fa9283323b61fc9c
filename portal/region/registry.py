"""The region's merged registry (seed roadmap item 27: «единая информационная база наставников и экспертов …
наставников, тьюторов»): every city of the region in one file, the city a column; mentors and tutors with the
columns of the city's registry, and the experts (jury members) of each city. Built by a job into XLSX and CSV
kept in the store with their date, row count and checksums; on a schedule (tasks/schedule.py) and on request."""
from __future__ import annotations

import csv
import io
import tempfile
from datetime import date
from pathlib import Path

from portal import clock
from portal.accounts.models import RoleBinding, User
from portal.consent.services import mentor_ids, withdrew_processing
from portal.documents.inert import inert
from portal.exceptions import NotFound
from portal.extensions import db
from portal.jobs.services import submit
from portal.registry import registry as city_registry
from portal.registry.models import ExportStatus
from portal.region.models import RegionRegistryExport
from portal.staff.models import Staff
from portal.storage.store import file_chunks, store
from tenants.access import JURORS
from tenants.context import current_scope
from tenants.models import Municipality
from tenants.queries import get_or_404

MENTOR, TUTOR, EXPERT = "Наставник", "Тьютор", "Эксперт (член жюри)"
COLUMNS = ["Город", "Организация", "Ф.И.О.", "В реестре как"] + city_registry.COLUMNS[3:]
WIDTHS = [18, 30, 34, 18] + city_registry.WIDTHS[3:]


def tutor_ids() -> list[int]:
    """Tutors (the position «Тьютор») of the scope's institutions, as the registry counts people."""
    archived = db.session.execute(db.select(Staff.id).where(Staff.archived_at.is_not(None))).scalars()
    tutors = set(db.session.execute(db.select(Staff.id).where(Staff.position == "tyutor")).scalars())
    return sorted(tutors - set(archived) - withdrew_processing())


def expert_rows() -> list[list]:
    """The experts (jury members) of the scope's cities: name and city only — an account, not a staff record."""
    cities = current_scope().municipality_ids
    found = db.session.execute(
        db.select(Municipality.name, User.full_name).join(RoleBinding, RoleBinding.user_id == User.id)
        .join(Municipality, Municipality.id == RoleBinding.municipality_id)
        .where(RoleBinding.role.in_(sorted(JURORS)), RoleBinding.municipality_id.in_(sorted(cities)),
               User.active.is_(True))
        .order_by(Municipality.name, User.full_name).distinct()).all()
    blank = [""] * (len(COLUMNS) - 4)
    return [[city, "", name, EXPERT, *blank] for city, name in found]


def rows(today: date | None = None, on_read=None):
    """Every row of the merged registry, by city, organisation and name (experts after each city's staff)."""
    mentors, tutors = set(mentor_ids()), set(tutor_ids())
    out = []
    for sid, row in city_registry.rows(today, on_read, ids=sorted(mentors | tutors), keyed=True):
        kind = "; ".join(k for k, people in ((MENTOR, mentors), (TUTOR, tutors)) if sid in people)
        out.append([row[0], row[1], row[2], kind, *row[3:]])
    out += expert_rows()
    out.sort(key=lambda r: (r[0], r[3] == EXPERT, r[1], r[2]))
    return out


def file_key(export: RegionRegistryExport, kind: str) -> str:
    return f"region-registry/{export.region_id}-{export.id}.{kind}"


def build(export: RegionRegistryExport) -> RegionRegistryExport:
    """Write the files of one export; the scope must cover every city of the export's region."""
    export.status, export.progress, export.error = ExportStatus.RUNNING, 0, ""
    db.session.commit()
    export_id = export.id
    scratch = tempfile.TemporaryDirectory(prefix="region-registry-")
    xlsx_path, csv_path = Path(scratch.name) / "registry.xlsx", Path(scratch.name) / "registry.csv"
    files = city_registry._Files(xlsx_path, csv_path, COLUMNS, WIDTHS, "Реестр региона")

    def progress(read: int) -> None:   # every staff row read (the experts and the files follow)
        db.session.execute(db.update(RegionRegistryExport).where(RegionRegistryExport.id == export_id)
                           .values(progress=read, total=read))
        db.session.commit()

    try:
        merged = rows(on_read=progress)
        for row in merged:
            files.add(row)
        files.close()
        export = db.session.get(RegionRegistryExport, export_id)
        target = store()
        for kind, path in (("xlsx", xlsx_path), ("csv", csv_path)):
            target.put(file_key(export, kind), file_chunks(path))
        export.status, export.finished_at, export.row_count = ExportStatus.DONE, clock.now(), files.count
        export.cities = len({r[0] for r in merged})
        export.sha256_xlsx, export.sha256_csv = city_registry._sha256(xlsx_path), city_registry._sha256(csv_path)
        db.session.commit()
    except Exception:
        files.discard()
        db.session.rollback()
        raise
    finally:
        scratch.cleanup()
    return export


def request_export(region_id: int, requested_by_id: int | None, *, reason: str = "по запросу",
                   parent_id: int | None = None) -> RegionRegistryExport:
    """A new export and the job that builds it, in the caller's transaction (the caller commits)."""
    row = RegionRegistryExport(region_id=region_id, requested_by_id=requested_by_id, reason=reason)
    db.session.add(row)
    db.session.flush()
    job = submit("registry.build_region", row.id, parent_id=parent_id)
    db.session.flush()
    row.job_id = job.id
    return row


def region_export(export_id) -> RegionRegistryExport:
    """An export of the current scope's region, or NotFound (another region's id is a missing one)."""
    region_id = current_scope().region_id
    if region_id is None:
        raise NotFound("Выгрузка не найдена.")
    return get_or_404(RegionRegistryExport, export_id, "Выгрузка не найдена.", region_id=region_id)


def exports() -> list[RegionRegistryExport]:
    return list(db.session.execute(db.select(RegionRegistryExport).where(
        RegionRegistryExport.region_id == current_scope().region_id).order_by(RegionRegistryExport.id.desc())).scalars())


def read_csv(export_row: RegionRegistryExport) -> list[dict]:
    text = b"".join(store().read(file_key(export_row, "csv"))).decode("utf-8-sig")
    return [{k: inert(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text, newline=""), delimiter=";")]
