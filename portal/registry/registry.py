"""The registry of mentors for the regional institute (seed roadmap item 27): one row per mentor of a
municipality with only what the purpose needs — no e-mails, no birth dates. Built by a Celery task into XLSX and
CSV kept with their date, author, row count and checksums."""
from __future__ import annotations

import csv
import hashlib
import io
import tempfile
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.documents.inert import inert, inert_row
from portal.documents.xlsx import print_setup
from portal.extensions import db
from portal.storage.store import file_chunks, store
from portal.mentoring.groups import LIVE
from portal.mentoring.models import GroupMember, MentoringForm, MentoringGroup, MentorProfile, Program
from portal.mentoring.states import DEFAULT_DIFFICULTIES, MemberRole, ProgramState
from portal.registry.models import ExportStatus, Incentive, RegistryExport, Training
from portal.staff.models import Staff
from tenants.models import Institution, Municipality
from tenants.queries import get_or_404

COLUMNS = ["Муниципалитет", "Организация", "Ф.И.О.", "Должность", "Квалификационная категория",
           "Дата присвоения категории", "Педагогический стаж", "Компетенции наставника", "Формы наставничества",
           "Наставляемых сейчас", "Наставляемых ранее", "Программ завершено",
           "Обучение по наставничеству (курс, часы, год)", "Поощрения"]
WIDTHS = [18, 30, 34, 24, 26, 14, 14, 50, 40, 12, 12, 12, 50, 40]
BATCH = 500


def mentor_ids() -> list[int]:
    """Who is a mentor: in the bank of mentors, or a mentor of any pair (inside the current scope)."""
    bank = set(db.session.execute(db.select(MentorProfile.staff_id).where(MentorProfile.active.is_(True))).scalars())
    paired = set(db.session.execute(db.select(GroupMember.staff_id).where(
        GroupMember.role == MemberRole.MENTOR, GroupMember.staff_id.is_not(None))).scalars())
    archived = set(db.session.execute(db.select(Staff.id).where(Staff.archived_at.is_not(None))).scalars())
    return sorted((bank | paired) - archived - withdrew_processing())


def withdrew_processing(today: date | None = None) -> set[int]:
    """People who withdrew their consent to processing and gave none since: they leave the registry."""
    from portal.consent.models import ConsentKind, ConsentRecord

    today = today or date.today()
    withdrawn, active = set(), set()
    for staff_id, withdrawn_on in db.session.execute(db.select(ConsentRecord.staff_id, ConsentRecord.withdrawn_on).where(
            ConsentRecord.kind == ConsentKind.PROCESSING, ConsentRecord.given_on <= today)):
        (withdrawn if withdrawn_on is not None and withdrawn_on <= today else active).add(staff_id)
    return withdrawn - active


def _facts(ids: list[int], today: date) -> dict:
    """Everything per mentor in a few grouped queries (not one per mentor)."""
    mentor_of = db.select(GroupMember.group_id, GroupMember.staff_id).where(
        GroupMember.role == MemberRole.MENTOR, GroupMember.staff_id.in_(ids)).subquery()
    mentee = db.aliased(GroupMember)
    current, past = defaultdict(set), defaultdict(set)
    for mentor, mentee_id, state, left in db.session.execute(
            # a mentee from outside the institution (a student) counts once, by a key no staff id takes
            db.select(mentor_of.c.staff_id, db.func.coalesce(mentee.staff_id, -mentee.external_id), MentoringGroup.state,
                      mentee.left_at)
            .join(mentee, mentee.group_id == mentor_of.c.group_id)
            .join(MentoringGroup, MentoringGroup.id == mentor_of.c.group_id)
            .where(mentee.role == MemberRole.MENTEE)):
        (current if state in LIVE and left is None else past)[mentor].add(mentee_id)
    forms = defaultdict(set)
    for mentor, name in db.session.execute(
            db.select(mentor_of.c.staff_id, MentoringForm.name).join(MentoringGroup, MentoringGroup.id == mentor_of.c.group_id)
            .join(MentoringForm, MentoringForm.id == MentoringGroup.form_id)):
        forms[mentor].add(name)
    completed = defaultdict(int)
    for mentor, n in db.session.execute(
            db.select(mentor_of.c.staff_id, db.func.count(Program.id)).join(Program, Program.group_id == mentor_of.c.group_id)
            .where(Program.state == ProgramState.COMPLETED).group_by(mentor_of.c.staff_id)):
        completed[mentor] = n
    profiles = {p.staff_id: p for p in db.session.execute(db.select(MentorProfile).where(MentorProfile.staff_id.in_(ids))).scalars()}
    trainings = defaultdict(list)
    for t in db.session.execute(db.select(Training).where(Training.staff_id.in_(ids), Training.mentoring_related.is_(True))
                                .order_by(Training.start_date)).scalars():
        trainings[t.staff_id].append(f"{t.title}, {t.hours} ч., {t.end_date.year}")
    awards = defaultdict(list)
    for a in db.session.execute(db.select(Incentive).where(Incentive.staff_id.in_(ids)).order_by(Incentive.awarded_on)).scalars():
        awards[a.staff_id].append(f"{a.kind_label} ({a.awarded_on.year})")
    return {"current": current, "past": past, "forms": forms, "completed": completed, "profiles": profiles,
            "trainings": trainings, "awards": awards}


def _competencies(profile: MentorProfile | None) -> str:
    if profile is None:
        return ""
    words = [DEFAULT_DIFFICULTIES[c] for c in profile.competencies or [] if c in DEFAULT_DIFFICULTIES]
    if profile.areas:
        words.append(profile.areas)
    return "; ".join(words)


def rows(today: date | None = None, on_batch=None, ids: list[int] | None = None, keyed: bool = False):
    """The registry's rows, ordered by municipality, institution and name, in batches (constant memory). `ids`: other
    people than the mentors (the region's registry adds tutors); `keyed`: (staff id, row) pairs."""
    today = today or date.today()
    ids = mentor_ids() if ids is None else ids
    ordered = list(db.session.execute(
        db.select(Staff.id).join(Institution, Institution.id == Staff.institution_id)
        .join(Municipality, Municipality.id == Institution.municipality_id).where(Staff.id.in_(ids))
        .order_by(Municipality.name, Institution.short_name, Staff.last_name, Staff.first_name, Staff.id)).scalars())
    done = 0
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start:start + BATCH]
        facts = _facts(chunk, today)
        staff = {s.id: s for s in db.session.execute(db.select(Staff).where(Staff.id.in_(chunk))).scalars()}
        places = dict(db.session.execute(db.select(Institution.id, Institution).where(
            Institution.id.in_({s.institution_id for s in staff.values()}))).all())
        for sid in chunk:
            s, inst = staff[sid], places[staff[sid].institution_id]
            row = [inst.municipality.name, inst.short_name, s.full_name, s.position_label, s.category.label,
                   s.category_date.strftime("%d.%m.%Y") if s.category_date else "", s.experience_words(today),
                   _competencies(facts["profiles"].get(sid)), "; ".join(sorted(facts["forms"][sid])),
                   len(facts["current"][sid]), len(facts["past"][sid] - facts["current"][sid]),
                   facts["completed"][sid], "; ".join(facts["trainings"][sid]), "; ".join(facts["awards"][sid])]
            yield (sid, row) if keyed else row
        done += len(chunk)
        if on_batch:
            on_batch(done, len(ordered))
        db.session.expunge_all()  # constant memory at region scale


# --- files ---------------------------------------------------------------------------------------------------------

def file_key(export: RegistryExport, kind: str) -> str:
    """Where an export's file is kept in the store (portal/storage): the same key on every node."""
    return f"registry/{export.municipality_id}-{export.id}.{kind}"


class _Files:
    """XLSX (write-only: formatted header, frozen, filters) and CSV (UTF-8 with BOM, «;») written row by row."""

    def __init__(self, xlsx_path: Path, csv_path: Path, columns: list[str] = COLUMNS, widths: list[int] = WIDTHS,
                 title: str = "Реестр наставников"):
        self.columns = columns
        self.wb = Workbook(write_only=True)
        self.ws = self.wb.create_sheet(title)
        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self.ws.freeze_panes = "A2"
        print_setup(self.ws, widths)
        header = []
        for title in columns:
            cell = WriteOnlyCell(self.ws, value=title)
            cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            header.append(cell)
        self.ws.append(header)
        self.xlsx_path, self.csv_path = xlsx_path, csv_path
        self.csv_file = csv_path.open("w", encoding="utf-8-sig", newline="")
        self.csv = csv.writer(self.csv_file, delimiter=";")
        self.csv.writerow(columns)
        self.count = 0

    def add(self, row: list) -> None:
        row = inert_row(row)  # the JSON registry is read back from this CSV, so it is inert too
        self.ws.append(row)
        self.csv.writerow(row)
        self.count += 1

    def discard(self) -> None:
        self.csv_file.close()
        for path in (self.xlsx_path, self.csv_path):
            path.unlink(missing_ok=True)

    def close(self) -> None:
        self.ws.auto_filter.ref = f"A1:{get_column_letter(len(self.columns))}{self.count + 1}"
        self.wb.save(self.xlsx_path)
        self.csv_file.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build(export: RegistryExport) -> RegistryExport:
    """Write the files of one export; the scope must cover the export's municipality."""
    export.status, export.progress, export.error = ExportStatus.RUNNING, 0, ""
    db.session.commit()
    export_id = export.id
    scratch = tempfile.TemporaryDirectory(prefix="registry-")   # this node's scratch space; the store keeps the result
    xlsx_path, csv_path = Path(scratch.name) / "registry.xlsx", Path(scratch.name) / "registry.csv"
    files = _Files(xlsx_path, csv_path)

    def progress(done: int, total: int) -> None:
        db.session.execute(db.update(RegistryExport).where(RegistryExport.id == export_id)
                           .values(progress=done, total=total))
        db.session.commit()

    try:
        for row in rows(on_batch=progress):
            files.add(row)
        files.close()
        export = db.session.get(RegistryExport, export_id)
        target = store()
        for kind, path in (("xlsx", xlsx_path), ("csv", csv_path)):
            target.put(file_key(export, kind), file_chunks(path))
        export.status, export.finished_at, export.row_count = ExportStatus.DONE, datetime.utcnow(), files.count
        export.sha256_xlsx, export.sha256_csv = _sha256(xlsx_path), _sha256(csv_path)
        _answer_roadmap(export)
        db.session.commit()   # with the database store, the files and the row commit together
    except Exception:
        # The job retries (a database or disk that comes back) and, if it finally fails, says so on the page.
        files.discard()
        db.session.rollback()
        raise
    finally:
        scratch.cleanup()
    return export


def request_export(municipality_id: int, requested_by_id: int | None, *, reason: str = "по запросу",
                   parent_id: int | None = None) -> RegistryExport:
    """A new export and the job that builds it, in the caller's transaction (the caller commits)."""
    from portal.jobs.services import submit

    row = RegistryExport(municipality_id=municipality_id, requested_by_id=requested_by_id, reason=reason)
    db.session.add(row)
    db.session.flush()
    job = submit("registry.build", row.id, parent_id=parent_id, municipality_id=municipality_id)
    db.session.flush()
    row.job_id = job.id
    return row


def retry_export(row: RegistryExport) -> RegistryExport:
    """«Повторить» on an export whose job failed for good."""
    from portal.exceptions import Invalid
    from portal.jobs.services import retry, submit

    if row.state is not ExportStatus.FAILED:
        raise Invalid("export", "Выгрузка не завершилась ошибкой: повторять нечего.")
    row.status, row.error, row.progress = ExportStatus.QUEUED, "", 0
    if row.job is None:
        row.job = submit("registry.build", row.id, municipality_id=row.municipality_id)
    else:
        retry(row.job)
    db.session.commit()
    db.session.refresh(row)   # run in-process (embedded default), the job has changed it already
    return row


def export(export_id: int) -> RegistryExport:
    return get_or_404(RegistryExport, export_id, "Выгрузка не найдена.")


def exports() -> list[RegistryExport]:
    return list(db.session.execute(db.select(RegistryExport).order_by(RegistryExport.id.desc())).scalars())


def read_csv(export_row: RegistryExport) -> list[dict]:
    """The export's rows as dicts (for the API): exactly what the files hold."""
    text = b"".join(store().read(file_key(export_row, "csv"))).decode("utf-8-sig")
    # inert() is idempotent: files written before exports were inert are made so on the way out.
    return [{k: inert(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text, newline=""), delimiter=";")]


def _answer_roadmap(export: RegistryExport) -> None:
    """Roadmap item 27: the registry answers the department's task and the task of each institution in it."""
    from portal.roadmap import evidence

    institution_ids = set(db.session.execute(db.select(Staff.institution_id).where(
        Staff.id.in_(mentor_ids())).distinct()).scalars())
    day = export.finished_at.date()
    title = f"Реестр наставников от {day:%d.%m.%Y}: строк — {export.row_count}"
    evidence.record_city(export.municipality_id, "registry", export.id, day, title)
    for institution_id in sorted(institution_ids):
        evidence.record(institution_id, "registry", export.id, day, title)
