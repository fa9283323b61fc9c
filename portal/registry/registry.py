"""The registry of mentors for the regional institute (seed roadmap item 27): one row per mentor of a
municipality with only what the purpose needs — no e-mails, no birth dates. Built by a Celery task into XLSX and
CSV kept with their date, author, row count and checksums."""
from __future__ import annotations

import contextlib
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
from portal import evidence
from portal.consent.services import in_registry
from portal.documents.inert import inert, inert_row
from portal.documents.xlsx import print_setup
from portal.exceptions import Invalid
from portal.extensions import db
from portal.jobs.services import retry, submit
from portal.programs.models import Program
from portal.storage.store import file_chunks, store
from portal.mentoring.groups import LIVE
from portal.mentoring.models import GroupMember, MentoringForm, MentoringGroup, MentorProfile
from portal.mentoring.states import DEFAULT_DIFFICULTIES, MemberRole, ProgramState
from portal.incentives.models import IncentiveKind
from portal.registry.models import ExportStatus, RegistryExport
from portal.formatting import tenure_words
from portal.staff.dictionaries import POSITIONS
from portal.staff.models import INCENTIVE_KINDS, Incentive, Staff, Training
from tenants.models import Institution, Municipality
from tenants.queries import get_or_404, member_of

COLUMNS = ["Муниципалитет", "Организация", "Ф.И.О.", "Должность", "Квалификационная категория",
           "Дата присвоения категории", "Педагогический стаж", "Компетенции наставника", "Формы наставничества",
           "Наставляемых сейчас", "Наставляемых ранее", "Программ завершено",
           "Обучение по наставничеству (курс, часы, год)", "Поощрения"]
WIDTHS = [18, 30, 34, 24, 26, 14, 14, 50, 40, 12, 12, 12, 50, 40]
FETCH = 1000   # rows per round trip of the streamed statement: the process holds a few hundred KB of rows at a time


SEP, FIELD = "\x1e", "\x1f"   # between the values of one mentor's aggregate, between the fields of one value


def _joined(expr, postgres: bool):
    """One mentor's values in one text column: string_agg on PostgreSQL, group_concat on SQLite."""
    return db.func.string_agg(expr, SEP) if postgres else db.func.group_concat(expr, SEP)


def _text(column):
    return db.cast(column, db.String)


def _statement(who, postgres: bool):
    """The registry's rows in ONE statement: each figure a grouped subquery per mentor of the scope, joined to the
    staff `who` picks (a condition on Staff), their institution and municipality. The scope (tenants/) bounds every
    table by one array parameter; nothing here lists ids."""
    count, distinct = db.func.count, db.distinct
    mentor_of = db.select(GroupMember.group_id, GroupMember.staff_id.label("mentor")).where(
        GroupMember.role == MemberRole.MENTOR, GroupMember.staff_id.is_not(None)).subquery()
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
        .where(Training.mentoring_related.is_(True)).group_by(Training.staff_id).subquery())
    # The institution's own name of the kind (portal.incentives) where the incentive has one, else the registry's code.
    kind_name = db.func.coalesce(IncentiveKind.name, Incentive.kind)
    awards = (db.select(Incentive.staff_id, _joined(_text(Incentive.awarded_on) + FIELD + kind_name, postgres)
                        .label("joined")).outerjoin(IncentiveKind, IncentiveKind.id == Incentive.kind_id)
              .group_by(Incentive.staff_id).subquery())
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
            .where(who)
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
    """One mentor's row of the files. The statement's columns are unpacked by position, once: a Row's attribute
    access by name costs more than everything else here (4,000 rows: ~50 ms by name, ~17 ms unpacked)."""
    (_, city, short_name, last, first, middle, position, category, category_date, start, codes, areas, ever, now,
     forms, completed, trainings, awards) = r
    now, ever = now or 0, ever or 0
    return [city, short_name, " ".join(p for p in (last, first, middle) if p), POSITIONS.get(position, position),
            category.label,
            f"{category_date.day:02}.{category_date.month:02}.{category_date.year}" if category_date else "",
            tenure_words(start, today), "" if codes is None and areas is None else _competencies(codes, areas),
            "; ".join(sorted(set(forms.split(SEP)))) if forms else "", now, ever - now, completed or 0,
            "; ".join([f"{title}, {hours} ч., {end[:4]}" for _, title, hours, end in _values(trainings)]),
            "; ".join([f"{INCENTIVE_KINDS.get(kind, kind)} ({day[:4]})" for day, kind in _values(awards)])]


def rows(today: date | None = None, on_read=None, ids: list[int] | None = None, keyed: bool = False):
    """The registry's rows, ordered by municipality, institution and name: ONE aggregated statement for the whole
    scope, its rows streamed (yield_per, FETCH at a time) and written as they come — constant memory at region scale.
    `ids`: other people than the mentors (the region's registry adds tutors); `keyed`: (staff id, row) pairs;
    `on_read(count)` once every row is read — a streamed cursor closes at a commit, so progress waits for that."""
    today = today or date.today()
    postgres = db.session.get_bind().dialect.name == "postgresql"
    who = in_registry(today) if ids is None else member_of(Staff.id, ids, "registry_ids")
    result = db.session.execute(_statement(who, postgres).execution_options(yield_per=FETCH))
    count = 0
    for r in result:
        count += 1
        yield (r.id, _row(r, today)) if keyed else _row(r, today)
    if on_read:
        on_read(count)


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
        """A build that failed: both files closed and removed. Until the workbook is saved, its write-only sheet holds
        an open generator and a temporary file of openpyxl's own, outside the build's folder: saving releases both
        (in a long-lived worker every failed export would leave them behind), and the file is removed after."""
        self.csv_file.close()
        with contextlib.suppress(Exception):   # already saved, or the disk is the reason the build failed
            self.wb.save(self.xlsx_path)
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

    try:
        # A city's rows come from one streamed statement in well under a second: the row count is written with the
        # result (a commit in the middle would close the server-side cursor).
        for row in rows():
            files.add(row)
        files.close()
        export = db.session.get(RegistryExport, export_id)
        target = store()
        for kind, path in (("xlsx", xlsx_path), ("csv", csv_path)):
            target.put(file_key(export, kind), file_chunks(path))
        export.status, export.finished_at, export.row_count = ExportStatus.DONE, clock.now(), files.count
        export.progress = export.total = files.count
        export.sha256_xlsx, export.sha256_csv = _sha256(xlsx_path), _sha256(csv_path)
        # Roadmap item 27 is answered by a job of its own, committed with the export (the outbox): matching ~800
        # institutions' tasks is not the export's work, and a failure there must not fail or repeat the files.
        submit("registry.answer_roadmap", export.id, municipality_id=export.municipality_id)
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


def answer_roadmap(export: RegistryExport) -> int:
    """Roadmap item 27: a finished export answers the department's task and the task of each institution with a
    mentor in the registry (job `registry.answer_roadmap`; idempotent — a document is recorded once per task).
    The number of institutions answered."""
    institution_ids = set(db.session.execute(db.select(Staff.institution_id).where(in_registry()).distinct()).scalars())
    day = export.finished_at.date()
    title = f"Реестр наставников от {day:%d.%m.%Y}: строк — {export.row_count}"
    evidence.record_city(export.municipality_id, "registry", export.id, day, title)
    evidence.record_many(institution_ids, "registry", export.id, day, title)
    return len(institution_ids)
