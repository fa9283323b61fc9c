"""The registry of mentors for the regional institute (seed roadmap item 27): one row per mentor of a
municipality with only what the purpose needs — no e-mails, no birth dates. Built by a Celery task into XLSX and
CSV kept with their date, author, row count and checksums."""
from __future__ import annotations

import csv
import hashlib
import io
import tempfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal import clock
from portal.consent.models import ConsentKind, ConsentRecord
from portal.documents.inert import inert, inert_row
from portal.documents.xlsx import print_setup
from portal.exceptions import Invalid
from portal.extensions import db
from portal.jobs.services import retry, submit
from portal.programs.models import Program
from portal.roadmap import evidence
from portal.storage.store import file_chunks, store
from portal.mentoring.groups import LIVE
from portal.mentoring.models import GroupMember, MentoringForm, MentoringGroup, MentorProfile
from portal.mentoring.states import DEFAULT_DIFFICULTIES, MemberRole, ProgramState
from portal.incentives.models import IncentiveKind
from portal.registry.models import INCENTIVE_KINDS, ExportStatus, Incentive, RegistryExport, Training
from portal.formatting import tenure_words
from portal.staff.dictionaries import POSITIONS
from portal.staff.models import Staff
from tenants.models import Institution, Municipality
from tenants.queries import get_or_404, member_of

COLUMNS = ["Муниципалитет", "Организация", "Ф.И.О.", "Должность", "Квалификационная категория",
           "Дата присвоения категории", "Педагогический стаж", "Компетенции наставника", "Формы наставничества",
           "Наставляемых сейчас", "Наставляемых ранее", "Программ завершено",
           "Обучение по наставничеству (курс, часы, год)", "Поощрения"]
WIDTHS = [18, 30, 34, 24, 26, 14, 14, 50, 40, 12, 12, 12, 50, 40]
BATCH = 2000   # mentors per aggregated statement: 2 statements for a city of 4,000, a few MB of rows at a time


def mentor_ids() -> list[int]:
    """Who is a mentor: in the bank of mentors, or a mentor of any pair (inside the current scope)."""
    bank = set(db.session.execute(db.select(MentorProfile.staff_id).where(MentorProfile.active.is_(True))).scalars())
    paired = set(db.session.execute(db.select(GroupMember.staff_id).where(
        GroupMember.role == MemberRole.MENTOR, GroupMember.staff_id.is_not(None))).scalars())
    archived = set(db.session.execute(db.select(Staff.id).where(Staff.archived_at.is_not(None))).scalars())
    return sorted((bank | paired) - archived - withdrew_processing())


def withdrew_processing(today: date | None = None) -> set[int]:
    """People who withdrew their consent to processing and gave none since: they leave the registry."""
    today = today or date.today()
    withdrawn, active = set(), set()
    for staff_id, withdrawn_on in db.session.execute(db.select(ConsentRecord.staff_id, ConsentRecord.withdrawn_on).where(
            ConsentRecord.kind == ConsentKind.PROCESSING, ConsentRecord.given_on <= today)):
        (withdrawn if withdrawn_on is not None and withdrawn_on <= today else active).add(staff_id)
    return withdrawn - active


SEP, FIELD = "\x1e", "\x1f"   # between the values of one mentor's aggregate, between the fields of one value


def _joined(expr, postgres: bool):
    """One mentor's values in one text column: string_agg on PostgreSQL, group_concat on SQLite."""
    return db.func.string_agg(expr, SEP) if postgres else db.func.group_concat(expr, SEP)


def _text(column):
    return db.cast(column, db.String)


def _batch_statement(chunk: list[int], postgres: bool):
    """The registry's rows for a batch of mentors in ONE statement: each figure a grouped subquery per mentor,
    joined to the mentor's staff, institution and municipality. The batch is one array parameter on PostgreSQL."""
    mine = lambda column: member_of(column, chunk, "batch_ids")  # noqa: E731
    count, distinct = db.func.count, db.distinct
    mentor_of = db.select(GroupMember.group_id, GroupMember.staff_id.label("mentor")).where(
        GroupMember.role == MemberRole.MENTOR, mine(GroupMember.staff_id)).subquery()
    mentee = db.aliased(GroupMember)
    live = MentoringGroup.state.in_(LIVE) & mentee.left_at.is_(None)
    # a mentee from outside the institution (a student) counts once, by a key no staff id takes
    person = db.func.coalesce(mentee.staff_id, -mentee.external_id)
    # |ever| − |now| = those mentored before and not now (a mentee of a past and a current pair counts as current)
    mentees = (db.select(mentor_of.c.mentor, count(distinct(person)).label("ever"),
                         count(distinct(db.case((live, person)))).label("now"))
               .select_from(mentor_of).join(mentee, mentee.group_id == mentor_of.c.group_id)
               .join(MentoringGroup, MentoringGroup.id == mentor_of.c.group_id)
               .where(mentee.role == MemberRole.MENTEE).group_by(mentor_of.c.mentor).subquery())
    forms = (db.select(mentor_of.c.mentor, _joined(MentoringForm.name, postgres).label("names")).select_from(mentor_of)
             .join(MentoringGroup, MentoringGroup.id == mentor_of.c.group_id)
             .join(MentoringForm, MentoringForm.id == MentoringGroup.form_id).group_by(mentor_of.c.mentor).subquery())
    completed = (db.select(mentor_of.c.mentor, count(Program.id).label("n")).select_from(mentor_of)
                 .join(Program, Program.group_id == mentor_of.c.group_id)
                 .where(Program.state == ProgramState.COMPLETED).group_by(mentor_of.c.mentor).subquery())
    trainings = (db.select(Training.staff_id, _joined(
        _text(Training.start_date) + FIELD + Training.title + FIELD + _text(Training.hours) + FIELD
        + _text(Training.end_date), postgres).label("joined"))
        .where(mine(Training.staff_id), Training.mentoring_related.is_(True)).group_by(Training.staff_id).subquery())
    # The institution's own name of the kind (portal.incentives) where the incentive has one, else the registry's code.
    kind_name = db.func.coalesce(IncentiveKind.name, Incentive.kind)
    awards = (db.select(Incentive.staff_id, _joined(_text(Incentive.awarded_on) + FIELD + kind_name, postgres)
                        .label("joined")).outerjoin(IncentiveKind, IncentiveKind.id == Incentive.kind_id)
              .where(mine(Incentive.staff_id)).group_by(Incentive.staff_id).subquery())
    return (db.select(Staff.id, Municipality.name, Institution.short_name, Staff.last_name, Staff.first_name, Staff.middle_name,
                      Staff.position, Staff.category, Staff.category_date, Staff.pedagogical_start,
                      MentorProfile.competencies, MentorProfile.areas, mentees.c.ever, mentees.c.now, forms.c.names,
                      completed.c.n, trainings.c.joined.label("trainings"), awards.c.joined.label("awards"))
            .join(Institution, Institution.id == Staff.institution_id)
            .join(Municipality, Municipality.id == Institution.municipality_id)
            .outerjoin(MentorProfile, MentorProfile.staff_id == Staff.id)
            .outerjoin(mentees, mentees.c.mentor == Staff.id).outerjoin(forms, forms.c.mentor == Staff.id)
            .outerjoin(completed, completed.c.mentor == Staff.id)
            .outerjoin(trainings, trainings.c.staff_id == Staff.id).outerjoin(awards, awards.c.staff_id == Staff.id)
            .where(mine(Staff.id))
            .order_by(Municipality.name, Institution.short_name, Staff.last_name, Staff.first_name, Staff.id))


def _competencies(codes, areas) -> str:
    words = [DEFAULT_DIFFICULTIES[c] for c in codes or [] if c in DEFAULT_DIFFICULTIES]
    if areas:
        words.append(areas)
    return "; ".join(words)


def _values(joined: str | None) -> list[list[str]]:
    """An aggregate back into its values (each a list of fields), in the order of the first field (a date)."""
    return sorted(v.split(FIELD) for v in joined.split(SEP)) if joined else []


def _row(r, today: date) -> list:
    name = " ".join(p for p in (r.last_name, r.first_name, r.middle_name) if p)
    trainings = [f"{title}, {hours} ч., {end[:4]}" for _, title, hours, end in _values(r.trainings)]
    awards = [f"{INCENTIVE_KINDS.get(kind, kind)} ({day[:4]})" for day, kind in _values(r.awards)]
    now, ever = r.now or 0, r.ever or 0
    return [r.name, r.short_name, name, POSITIONS.get(r.position, r.position), r.category.label,
            r.category_date.strftime("%d.%m.%Y") if r.category_date else "", tenure_words(r.pedagogical_start, today),
            "" if r.competencies is None and r.areas is None else _competencies(r.competencies, r.areas),
            "; ".join(sorted(set(r.names.split(SEP)))) if r.names else "", now, ever - now, r.n or 0,
            "; ".join(trainings), "; ".join(awards)]


def rows(today: date | None = None, on_batch=None, ids: list[int] | None = None, keyed: bool = False):
    """The registry's rows, ordered by municipality, institution and name: one aggregated statement per batch of
    BATCH mentors, its rows streamed (yield_per) and written as they come — constant memory at region scale.
    `ids`: other people than the mentors (the region's registry adds tutors); `keyed`: (staff id, row) pairs."""
    today = today or date.today()
    ids = mentor_ids() if ids is None else ids
    postgres = db.session.get_bind().dialect.name == "postgresql"
    ordered = list(db.session.execute(
        db.select(Staff.id).join(Institution, Institution.id == Staff.institution_id)
        .join(Municipality, Municipality.id == Institution.municipality_id).where(member_of(Staff.id, ids, "mentor_ids"))
        .order_by(Municipality.name, Institution.short_name, Staff.last_name, Staff.first_name, Staff.id)).scalars())
    done = 0
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start:start + BATCH]
        result = db.session.execute(_batch_statement(chunk, postgres).execution_options(yield_per=BATCH))
        for r in result:
            yield (r.id, _row(r, today)) if keyed else _row(r, today)
        done += len(chunk)
        if on_batch:
            on_batch(done, len(ordered))


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
        export.status, export.finished_at, export.row_count = ExportStatus.DONE, clock.now(), files.count
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
    row = RegistryExport(municipality_id=municipality_id, requested_by_id=requested_by_id, reason=reason)
    db.session.add(row)
    db.session.flush()
    job = submit("registry.build", row.id, parent_id=parent_id, municipality_id=municipality_id)
    db.session.flush()
    row.job_id = job.id
    return row


def retry_export(row: RegistryExport) -> RegistryExport:
    """«Повторить» on an export whose job failed for good."""
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
    institution_ids = set(db.session.execute(db.select(Staff.institution_id).where(
        member_of(Staff.id, mentor_ids(), "mentor_ids")).distinct()).scalars())
    day = export.finished_at.date()
    title = f"Реестр наставников от {day:%d.%m.%Y}: строк — {export.row_count}"
    evidence.record_city(export.municipality_id, "registry", export.id, day, title)
    evidence.record_many(institution_ids, "registry", export.id, day, title)
