"""Benchmark of the registry export at region scale (issue «Mentor registry …»).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/registry.py [--staff 30000] [--mentors 4000]

Generates 800 institutions with 30,000 staff of whom 4,000 are mentors (pairs, bank profiles, training,
incentives), then measures the wall time of building the registry's XLSX and CSV through the application (one
aggregated statement for the city, rows streamed into the files), next to writing the same rows with openpyxl
(write-only) and csv alone — the baseline, in the same run, the two run in alternating order (--rounds pairs),
the better of each kept. The app runs as with a broker and workers: the export's roadmap evidence, a job of its
own (registry.answer_roadmap), is sent, not run inside the build, and is then run and timed on its own line. Peak
memory is measured in a separate pass under tracemalloc (which slows both sides, so it is not timed), and the
process's peak RSS is printed at the end. The memory goal is a worker's: a process of its own (`--worker-pass`,
started at the end) creates the app as a Celery worker does — no migrations, no generated data, no baseline rows —
builds one city export and prints its peak RSS.
"""
from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def generate(conn, n_inst: int, n_staff: int, n_mentors: int) -> None:
    from sqlalchemy import text

    conn.execute(text("INSERT INTO municipality (name, slug) VALUES ('Регион', 'region')"))
    conn.execute(text("INSERT INTO institution (municipality_id, full_name, short_name, kind, slug, address, site_url, "
                      "mentor_capacity) SELECT 1, 'Учреждение ' || g, 'ОО ' || lpad(g::text, 3, '0'), 'DOU', 'i' || g, "
                      "'', '', 2 FROM generate_series(1, :n) g"), {"n": n_inst})
    conn.execute(text("INSERT INTO staff (institution_id, last_name, first_name, middle_name, position, category, "
                      "category_date, pedagogical_start, institution_start, birth_date, work_email, created_at, updated_at) "
                      "SELECT 1 + g % :i, 'Фамилия' || g, 'Имя', 'Отчество', 'vospitatel', 'HIGHEST', DATE '2020-03-01', "
                      "DATE '2005-09-01', DATE '2010-09-01', DATE '1980-01-01', 'p' || g || '@x.ru', now(), now() "
                      "FROM generate_series(1, :n) g"), {"i": n_inst, "n": n_staff})
    mentors = [r[0] for r in conn.execute(text("SELECT id FROM staff ORDER BY id LIMIT :m"), {"m": n_mentors})]
    conn.execute(text("INSERT INTO mentoring_form (institution_id, name, builtin, archived) "
                      "SELECT id, 'Традиционная форма наставничества («один-на-один»)', true, false FROM institution"))
    conn.execute(text("INSERT INTO mentor_profile (institution_id, staff_id, competencies, areas, active, created_at) "
                      "SELECT institution_id, id, '[\"planning\", \"methods\"]', 'Методика', true, now() FROM staff "
                      "WHERE id = ANY(:ids)"), {"ids": mentors})
    # One pair per mentor with the next staff member of the same institution as mentee.
    conn.execute(text("""
        INSERT INTO mentoring_group (institution_id, form_id, format, start_date, state, academic_year, created_at)
        SELECT s.institution_id, f.id, 'in_person', DATE '2025-09-01', 'active', '2025-2026', now()
        FROM staff s JOIN mentoring_form f ON f.institution_id = s.institution_id WHERE s.id = ANY(:ids) ORDER BY s.id"""),
                 {"ids": mentors})
    conn.execute(text("""
        INSERT INTO group_member (institution_id, group_id, staff_id, role, joined_at)
        SELECT g.institution_id, g.id, m.id, 'mentor', DATE '2025-09-01'
        FROM (SELECT id, institution_id, row_number() OVER (ORDER BY id) AS n FROM mentoring_group) g
        JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM staff WHERE id = ANY(:ids)) m ON m.n = g.n"""),
                 {"ids": mentors})
    conn.execute(text("""
        INSERT INTO group_member (institution_id, group_id, staff_id, role, joined_at)
        SELECT g.institution_id, g.id, (SELECT s.id FROM staff s WHERE s.institution_id = g.institution_id
                                        AND s.id <> ALL(:ids) ORDER BY s.id OFFSET (g.id % 20) LIMIT 1), 'mentee', DATE '2025-09-01'
        FROM mentoring_group g"""), {"ids": mentors})
    conn.execute(text("INSERT INTO mentor_training (institution_id, staff_id, kind, title, organizer, hours, start_date, "
                      "end_date, mentoring_related, created_at) SELECT institution_id, id, 'course', 'Школа наставника', "
                      "'ИРО', 36, DATE '2024-02-01', DATE '2024-02-20', true, now() FROM staff WHERE id = ANY(:ids)"),
                 {"ids": mentors})
    conn.execute(text("INSERT INTO mentor_incentive (institution_id, staff_id, kind, level, grounds, awarded_on, created_at) "
                      "SELECT institution_id, id, 'diploma', 'municipal', 'За наставничество', DATE '2025-05-20', now() "
                      "FROM staff WHERE id = ANY(:ids) AND id % 3 = 0"), {"ids": mentors})


def timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - t0


def traced(fn) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def _peak_rss_mb() -> float:
    """This process's peak RSS. Not getrusage's ru_maxrss: Linux carries that over an exec from the parent."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker_pass() -> None:
    """As a worker: the app, then one city's export; the process's peak RSS before and after."""
    from portal import create_app
    from portal.extensions import db
    from portal.registry.models import RegistryExport
    from portal.registry.registry import build
    from tenants.context import across_institutions

    app = create_app({"UPLOAD_ROOT": tempfile.mkdtemp(), "CELERY": {"task_always_eager": False}})
    with app.app_context():
        before = _peak_rss_mb()
        with across_institutions(municipality_ids={1}, reason="bench"):
            export = RegistryExport(municipality_id=1)
            db.session.add(export)
            db.session.commit()
            rows = build(export).row_count
    after = _peak_rss_mb()
    print(f"a worker's process (create_app, then one city export of {rows} rows): peak RSS {after:.0f} MB "
          f"(goal ≤ 150 MB), {before:.0f} MB of it the app before the export")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--institutions", type=int, default=800)
    parser.add_argument("--staff", type=int, default=30000)
    parser.add_argument("--mentors", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3, help="pairs of runs (app, library), in alternating order")
    parser.add_argument("--worker-pass", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker_pass:
        return worker_pass()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must point at an empty PostgreSQL database")
    os.environ.setdefault("PORTAL_INSTANCE", tempfile.mkdtemp())
    from portal.schema import upgrade
    from openpyxl import Workbook
    from sqlalchemy import event, text

    from portal import create_app
    from portal.extensions import db
    from portal.jobs.models import Job
    from portal.jobs.services import run_inline
    from portal.registry.models import RegistryExport
    from portal.registry.registry import COLUMNS, build, rows
    from tenants.context import across_institutions

    # Not in-process: jobs go to Celery's in-memory broker, where nothing takes them (as a worker would, later).
    app = create_app({"UPLOAD_ROOT": tempfile.mkdtemp(), "CELERY": {"task_always_eager": False}})
    with app.app_context():
        upgrade()
        app_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # the app itself, before any export
        t0 = time.perf_counter()
        with db.engine.begin() as conn:
            generate(conn, args.institutions, args.staff, args.mentors)
            conn.execute(text("ANALYZE"))
        generated = time.perf_counter() - t0
        out = Path(tempfile.mkdtemp())
        with across_institutions(municipality_ids={1}, reason="bench"):
            data = list(rows())   # the same rows, in memory, for the baseline

            statements = []

            def through_app():
                export = RegistryExport(municipality_id=1)
                db.session.add(export)
                db.session.commit()
                statements.clear()
                event.listen(db.engine, "before_cursor_execute", count)
                try:
                    return build(export)
                finally:
                    event.remove(db.engine, "before_cursor_execute", count)

            def count(*_args):
                statements.append(1)

            def library_alone():
                wb = Workbook(write_only=True)
                ws = wb.create_sheet("Реестр")
                ws.append(COLUMNS)
                for row in data:
                    ws.append(row)
                wb.save(out / "plain.xlsx")
                with (out / "plain.csv").open("w", encoding="utf-8-sig", newline="") as fh:
                    writer = csv.writer(fh, delimiter=";")
                    writer.writerow(COLUMNS)
                    writer.writerows(data)

            app_times, lib_times = [], []
            for n in range(args.rounds):   # alternating order: neither side always runs on a warmer machine
                for side in ((through_app, app_times), (library_alone, lib_times))[::1 if n % 2 == 0 else -1]:
                    built, elapsed = timed(side[0])
                    side[1].append(elapsed)
            built = through_app()
            build_statements = len(statements)
            app_peak, lib_peak = traced(through_app), traced(library_alone)
            # The roadmap evidence of the exports, run as a worker runs a job: timed one by one, the best kept.
            waiting = list(db.session.execute(db.select(Job.id, Job.task, Job.args).where(
                Job.task == "registry.answer_roadmap").order_by(Job.id)))
            evidence_times = [timed(lambda job=job: run_inline(*job))[1] for job in waiting]
    app_time, lib_time = min(app_times), min(lib_times)
    print(f"data: {args.institutions} institutions, {args.staff} staff, {args.mentors} mentors; generated in {generated:.0f} s")
    print(f"registry through the app (queries + XLSX + CSV + checksums): {app_time:.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in app_times)}), {built.row_count} rows, {build_statements} statements")
    print(f"baseline: the same rows written by openpyxl + csv alone:      {lib_time:.2f} s "
          f"(runs: {', '.join(f'{t:.2f}' for t in lib_times)}; rows already in memory)")
    print(f"ratio app / library: time {app_time / lib_time:.2f}× (goal ≤ 1.5×)")
    print(f"its own job after the export, the roadmap evidence (registry.answer_roadmap, {args.institutions} "
          f"institutions): {min(evidence_times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in evidence_times)})")
    print(f"peak Python memory (tracemalloc, untimed pass): app {app_peak:.1f} MB, library {lib_peak:.1f} MB; "
          f"peak process RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB with the baseline's rows "
          f"in memory, of which the app and its migrations before any export {app_rss:.0f} MB")
    sys.stdout.flush()
    subprocess.run([sys.executable, __file__, "--worker-pass"], check=True)


if __name__ == "__main__":
    main()
