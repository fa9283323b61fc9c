"""Benchmark of the quarterly aggregation at region scale, against an honest set-based baseline.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_perf .venv/bin/python bench/aggregation.py
        [--institutions 800] [--staff 30000] [--groups 6000] [--items 60000] [--quarters 12] [--runs 5]

Generates the region (bench/region.py) in an empty PostgreSQL database, then runs, alternating (app, SQL, SQL,
app, app, SQL, …) on the same data:
- the application's own aggregation of every institution (the chunks the Celery tasks compute, in this process);
- the baseline: ONE hand-written statement — GROUP BY per family of figures, all 22 figures the app stores
  (groups by form and satisfaction included), written with one INSERT … ON CONFLICT.
It prints the median of each, the ratio, and how many stored figures differ between the two (should be 0).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PERIOD = "2025-Q1"

# Parameters: :s, :e (the period), :a (as of: the period's end or today), :t (today), :qs, :qe (the quarters the
# period touches), :quarters (their labels), :period.
BASELINE_SQL = """
WITH p AS (SELECT CAST(:s AS date) AS s, CAST(:e AS date) AS e, CAST(:a AS date) AS a, CAST(:t AS date) AS t),
worked AS (SELECT g.id, g.institution_id, g.form_id FROM mentoring_group g, p
           WHERE g.state <> 'proposed' AND g.start_date <= p.e AND (g.end_date IS NULL OR g.end_date >= p.s)),
members AS (SELECT m.institution_id, m.staff_id, m.role FROM group_member m JOIN worked w ON w.id = m.group_id, p
            WHERE m.joined_at <= p.e AND (m.left_at IS NULL OR m.left_at >= p.s)),
people AS (SELECT institution_id, count(DISTINCT staff_id) FILTER (WHERE role = 'mentor') AS mentors,
                  count(DISTINCT staff_id) FILTER (WHERE role = 'mentee') AS mentees
           FROM members GROUP BY institution_id),
staff_y AS (SELECT st.institution_id, st.id,
                   coalesce(st.young_specialist_manual, st.pedagogical_start > p.a - interval '36 months'
                            AND (st.birth_date IS NULL OR st.birth_date > p.a - interval '35 years'), false) AS young
            FROM staff st, p WHERE st.archived_at IS NULL OR st.archived_at >= p.s),
staff_f AS (SELECT institution_id, count(*) AS staff, count(*) FILTER (WHERE young) AS young,
                   count(*) FILTER (WHERE young AND id IN (SELECT staff_id FROM members WHERE role = 'mentee')) AS ywm
            FROM staff_y GROUP BY institution_id),
by_form AS (SELECT w.institution_id, coalesce(f.name, 'Не указана') AS form, count(*) AS n
            FROM worked w LEFT JOIN mentoring_form f ON f.id = w.form_id GROUP BY 1, 2),
forms AS (SELECT institution_id, sum(n) AS groups, json_object_agg(form, n) AS by_form FROM by_form GROUP BY 1),
prog AS (SELECT pr.institution_id,
                count(*) FILTER (WHERE pr.completed_at IS NULL OR pr.completed_at >= p.s) AS active,
                count(*) FILTER (WHERE pr.state = 'completed' AND pr.completed_at BETWEEN p.s AND p.e) AS completed,
                count(*) FILTER (WHERE pr.state = 'terminated' AND pr.completed_at BETWEEN p.s AND p.e) AS terminated
         FROM program pr, p WHERE pr.start_date <= p.e AND pr.end_date >= p.s AND pr.state <> 'draft' GROUP BY 1),
items AS (SELECT i.institution_id, count(*) FILTER (WHERE i.status = 'done') AS done,
                 count(*) FILTER (WHERE i.status = 'overdue' OR (i.status = 'planned' AND i.due_date < p.a)) AS overdue
          FROM plan_item i, p WHERE i.due_date BETWEEN p.s AND p.e GROUP BY 1),
meet AS (SELECT mt.institution_id, count(*) AS n FROM meeting mt, p WHERE mt.held_on BETWEEN p.s AND p.e GROUP BY 1),
acks AS (SELECT a.institution_id, count(*) AS total, count(a.acknowledged_at) AS done
         FROM acknowledgement a JOIN mentoring_order o ON o.id = a.order_id, p
         WHERE o.issued_at IS NOT NULL AND o.issued_on BETWEEN p.s AND p.e GROUP BY 1),
tasks AS (SELECT t.institution_id, count(*) AS total,
                 count(*) FILTER (WHERE t.status IN ('submitted', 'accepted')) AS submitted,
                 count(*) FILTER (WHERE t.status = 'accepted') AS accepted,
                 count(*) FILTER (WHERE t.status IN ('open', 'returned') AND t.working_due_date < p.t) AS overdue
          FROM roadmap_task t, p WHERE t.due_date BETWEEN p.s AND p.e GROUP BY 1),
answers AS (SELECT t.institution_id, a.k::int AS score, a.v::int AS n
            FROM survey_tally t JOIN survey_campaign c ON c.id = t.campaign_id AND c.anonymous
            JOIN survey_template tp ON tp.id = c.template_id
            CROSS JOIN LATERAL json_array_elements(tp.questions) q
            CROSS JOIN LATERAL json_each(t.tallies) b(quarter, bucket)
            CROSS JOIN LATERAL json_each_text(b.bucket -> (q ->> 'id')) a(k, v)
            WHERE b.quarter = ANY(CAST(:quarters AS text[])) AND (q ->> 'satisfaction')::boolean AND a.k <> 'texts'
            UNION ALL
            SELECT r.institution_id, (r.answers ->> (q ->> 'id'))::int, 1
            FROM survey_response r JOIN survey_campaign c ON c.id = r.campaign_id AND NOT c.anonymous
            JOIN survey_template tp ON tp.id = c.template_id
            CROSS JOIN LATERAL json_array_elements(tp.questions) q
            WHERE (q ->> 'satisfaction')::boolean AND r.submitted_on BETWEEN :qs AND :qe),
sat AS (SELECT institution_id, round(sum(score * n)::numeric / sum(n), 1) AS mean FROM answers GROUP BY 1
        HAVING sum(n) > 0),
rewarded AS (SELECT ic.institution_id, count(DISTINCT ic.staff_id) AS n FROM mentor_incentive ic, p
             WHERE ic.awarded_on BETWEEN p.s AND p.e GROUP BY 1)
INSERT INTO indicator_snapshot (institution_id, period, figures, computed_at)
SELECT i.id, :period, json_build_object(
    'staff', coalesce(sf.staff, 0), 'mentors', coalesce(pe.mentors, 0), 'mentees', coalesce(pe.mentees, 0),
    'groups', coalesce(fo.groups, 0), 'groups_by_form', coalesce(fo.by_form, '{}'::json),
    'young', coalesce(sf.young, 0), 'young_with_mentor', coalesce(sf.ywm, 0),
    'young_with_mentor_pct', CASE WHEN sf.young > 0 THEN round(100.0 * sf.ywm / sf.young, 1) END,
    'programs_active', coalesce(pg.active, 0), 'programs_completed', coalesce(pg.completed, 0),
    'programs_terminated', coalesce(pg.terminated, 0), 'items_done', coalesce(it.done, 0),
    'items_overdue', coalesce(it.overdue, 0), 'meetings', coalesce(mt.n, 0), 'acks_total', coalesce(ak.total, 0),
    'acks_done', coalesce(ak.done, 0), 'tasks_total', coalesce(tk.total, 0), 'tasks_submitted', coalesce(tk.submitted, 0),
    'tasks_accepted', coalesce(tk.accepted, 0), 'tasks_overdue', coalesce(tk.overdue, 0), 'satisfaction', sa.mean,
    'mentors_rewarded', coalesce(rw.n, 0)),
    now() AT TIME ZONE 'UTC'
FROM institution i
LEFT JOIN people pe ON pe.institution_id = i.id LEFT JOIN staff_f sf ON sf.institution_id = i.id
LEFT JOIN forms fo ON fo.institution_id = i.id LEFT JOIN prog pg ON pg.institution_id = i.id
LEFT JOIN items it ON it.institution_id = i.id LEFT JOIN meet mt ON mt.institution_id = i.id
LEFT JOIN acks ak ON ak.institution_id = i.id LEFT JOIN tasks tk ON tk.institution_id = i.id
LEFT JOIN sat sa ON sa.institution_id = i.id LEFT JOIN rewarded rw ON rw.institution_id = i.id
ON CONFLICT (institution_id, period) DO UPDATE SET figures = excluded.figures, computed_at = excluded.computed_at
"""


def baseline(conn, period: str) -> int:
    from sqlalchemy import text

    from portal.roadmap.indicators import bounds, quarters
    from portal.periods import quarter_of

    s, e = bounds(period)
    touched = quarters(quarter_of(s), quarter_of(e))
    today = date.today()
    return conn.execute(text(BASELINE_SQL), {
        "s": s, "e": e, "a": min(e, today), "t": today, "qs": bounds(touched[0])[0], "qe": bounds(touched[-1])[1],
        "quarters": touched, "period": period}).rowcount


def stored(conn, period: str) -> dict[int, dict]:
    from sqlalchemy import text

    return {i: f for i, f in conn.execute(text("SELECT institution_id, figures FROM indicator_snapshot WHERE period = :p"),
                                          {"p": period})}


def differences(app: dict[int, dict], sql: dict[int, dict]) -> list[tuple]:
    from portal.roadmap.indicators import FIGURES

    keys = [*FIGURES, "groups_by_form"]
    out = [(i, "missing", i in app, i in sql) for i in set(app) ^ set(sql)]
    out += [(i, k, app[i].get(k), sql[i].get(k)) for i in set(app) & set(sql) for k in keys
            if app[i].get(k) != sql[i].get(k)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--institutions", type=int, default=800)
    parser.add_argument("--staff", type=int, default=30000)
    parser.add_argument("--groups", type=int, default=6000)
    parser.add_argument("--items", type=int, default=60000)
    parser.add_argument("--quarters", type=int, default=12)
    parser.add_argument("--runs", type=int, default=5, help="runs of each side, alternating")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must point at an empty PostgreSQL database, e.g. "
                 "postgresql://postgres@127.0.0.1:5432/bench_perf")
    os.environ.setdefault("PORTAL_INSTANCE", "/tmp/nastavnik-bench")
    from portal.schema import upgrade
    from sqlalchemy import text

    from bench.region import generate
    from portal import create_app
    from portal.extensions import db
    from tasks.aggregation import run_inline

    app = create_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        t0 = time.perf_counter()
        with db.engine.begin() as conn:
            generate(conn, args.institutions, args.staff, args.groups, args.items, args.quarters)
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        generated = time.perf_counter() - t0

        def run_app():
            count = run_inline(PERIOD)
            db.session.remove()
            return count

        def run_sql():
            with db.engine.begin() as conn:
                return baseline(conn, PERIOD)

        times: dict[str, list[float]] = {"app": [], "sql": []}
        results: dict[str, dict] = {}
        sides = {"app": run_app, "sql": run_sql}
        order = [("app", "sql") if k % 2 == 0 else ("sql", "app") for k in range(args.runs)]
        for pair in order:
            for side in pair:
                t0 = time.perf_counter()
                count = sides[side]()
                times[side].append(time.perf_counter() - t0)
                assert count == args.institutions, (side, count)
                with db.engine.connect() as conn:
                    results[side] = stored(conn, PERIOD)
        diff = differences(results["app"], results["sql"])
        figures = sum(len(f) for f in results["sql"].values())

    app_t, sql_t = statistics.median(times["app"]), statistics.median(times["sql"])
    print(f"data: {args.institutions} institutions, {args.staff} staff, {args.groups} groups, {args.items} plan items, "
          f"{args.institutions * 32 * args.quarters} roadmap tasks; generated in {generated:.0f} s")
    print(f"quarterly aggregation {PERIOD}, {args.runs} runs each, alternating; median (all runs) in ms:")
    print(f"  through the app (chunks as the Celery tasks do them): {app_t * 1000:7.0f}  "
          f"({' '.join(f'{t * 1000:.0f}' for t in times['app'])})")
    print(f"  baseline, one set-based GROUP BY statement + upsert: {sql_t * 1000:7.0f}  "
          f"({' '.join(f'{t * 1000:.0f}' for t in times['sql'])})")
    print(f"  ratio app / baseline: {app_t / sql_t:.2f}×")
    print(f"stored figures that differ between the two: {len(diff)} of {figures}" +
          (f", e.g. {diff[:5]}" if diff else ""))


if __name__ == "__main__":
    main()
