"""Benchmark of the quarterly aggregation at region scale (issue «City roadmap … Celery aggregation»).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench .venv/bin/python bench/aggregation.py
        [--institutions 800] [--staff 30000] [--groups 6000] [--items 60000] [--quarters 12] [--runs 20]

Generates the region (20 municipalities, their institutions, staff, pairs, programs, plan items, meetings, the
template roadmap per municipality with tasks for 32 activities × institutions × quarters) in an empty PostgreSQL
database, then prints: the wall time of a full quarterly aggregation through the application's own code (the
same per-institution work the Celery tasks do), next to one hand-written SQL query computing the same figures
(the baseline; the ratio is the figure), checks that both agree, and the coordinator's dashboard server time.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PERIOD = "2025-Q1"

HAND_SQL = """
WITH p AS (SELECT DATE '2025-01-01' AS s, DATE '2025-03-31' AS e, LEAST(DATE '2025-03-31', CURRENT_DATE) AS a),
worked AS (SELECT g.id, g.institution_id FROM mentoring_group g, p
           WHERE g.state <> 'proposed' AND g.start_date <= p.e AND (g.end_date IS NULL OR g.end_date >= p.s)),
members AS (SELECT m.institution_id, m.staff_id, m.role FROM group_member m JOIN worked w ON w.id = m.group_id, p
            WHERE m.joined_at <= p.e AND (m.left_at IS NULL OR m.left_at >= p.s)),
staff_f AS (SELECT st.institution_id, count(*) AS staff,
                   count(*) FILTER (WHERE CASE WHEN st.young_specialist_manual IS NOT NULL THEN st.young_specialist_manual
                        ELSE st.pedagogical_start IS NOT NULL
                             AND st.pedagogical_start > (SELECT a FROM p) - INTERVAL '36 months'
                             AND (st.birth_date IS NULL OR st.birth_date > (SELECT a FROM p) - INTERVAL '35 years') END
                   ) AS young
            FROM staff st, p WHERE st.archived_at IS NULL OR st.archived_at >= p.s GROUP BY st.institution_id),
prog AS (SELECT pr.institution_id,
                count(*) FILTER (WHERE pr.completed_at IS NULL OR pr.completed_at >= p.s) AS active,
                count(*) FILTER (WHERE pr.state = 'completed' AND pr.completed_at BETWEEN p.s AND p.e) AS completed,
                count(*) FILTER (WHERE pr.state = 'terminated' AND pr.completed_at BETWEEN p.s AND p.e) AS terminated
         FROM program pr, p WHERE pr.start_date <= p.e AND pr.end_date >= p.s AND pr.state <> 'draft'
         GROUP BY pr.institution_id),
items AS (SELECT i.institution_id, count(*) FILTER (WHERE i.status = 'done') AS done,
                 count(*) FILTER (WHERE i.status = 'overdue' OR (i.status = 'planned' AND i.due_date < p.a)) AS overdue
          FROM plan_item i, p WHERE i.due_date BETWEEN p.s AND p.e GROUP BY i.institution_id),
meet AS (SELECT mt.institution_id, count(*) AS n FROM meeting mt, p WHERE mt.held_on BETWEEN p.s AND p.e
         GROUP BY mt.institution_id),
tasks AS (SELECT t.institution_id, count(*) AS total,
                 count(*) FILTER (WHERE t.status IN ('submitted', 'accepted')) AS submitted,
                 count(*) FILTER (WHERE t.status = 'accepted') AS accepted,
                 count(*) FILTER (WHERE t.status IN ('open', 'returned') AND t.working_due_date < CURRENT_DATE) AS overdue
          FROM roadmap_task t, p WHERE t.due_date BETWEEN p.s AND p.e GROUP BY t.institution_id)
SELECT inst.id,
       coalesce(sf.staff, 0),
       (SELECT count(DISTINCT staff_id) FROM members m WHERE m.institution_id = inst.id AND m.role = 'mentor'),
       (SELECT count(DISTINCT staff_id) FROM members m WHERE m.institution_id = inst.id AND m.role = 'mentee'),
       (SELECT count(*) FROM worked w WHERE w.institution_id = inst.id),
       coalesce(sf.young, 0),
       coalesce(pg.active, 0), coalesce(pg.completed, 0), coalesce(pg.terminated, 0),
       coalesce(it.done, 0), coalesce(it.overdue, 0), coalesce(mt.n, 0),
       coalesce(tk.total, 0), coalesce(tk.submitted, 0), coalesce(tk.accepted, 0), coalesce(tk.overdue, 0)
FROM institution inst
LEFT JOIN staff_f sf ON sf.institution_id = inst.id LEFT JOIN prog pg ON pg.institution_id = inst.id
LEFT JOIN items it ON it.institution_id = inst.id LEFT JOIN meet mt ON mt.institution_id = inst.id
LEFT JOIN tasks tk ON tk.institution_id = inst.id
ORDER BY inst.id
"""
KEYS = ["staff", "mentors", "mentees", "groups", "young", "programs_active", "programs_completed",
        "programs_terminated", "items_done", "items_overdue", "meetings", "tasks_total", "tasks_submitted",
        "tasks_accepted", "tasks_overdue"]


def generate(conn, n_inst: int, n_staff: int, n_groups: int, n_items: int, n_quarters: int) -> list[int]:
    from sqlalchemy import text

    from portal.roadmap import deadlines, template_pokachi

    rng = random.Random(2025)
    n_muni = 20
    conn.execute(text("INSERT INTO municipality (name, slug, region) SELECT 'Город ' || g, 'city' || g, 'Регион' "
                      "FROM generate_series(1, :n) g"), {"n": n_muni})
    conn.execute(text("INSERT INTO institution (municipality_id, full_name, short_name, kind, slug, address, site_url, "
                      "mentor_capacity) SELECT 1 + (g - 1) % :m, 'Учреждение ' || g, 'ОО ' || lpad(g::text, 3, '0'), "
                      "'DOU', 'inst' || g, '', '', 2 FROM generate_series(1, :n) g"), {"m": n_muni, "n": n_inst})
    inst_ids = [r[0] for r in conn.execute(text("SELECT id FROM institution ORDER BY id"))]
    today = date.today()
    staff_rows = []
    for k in range(n_staff):
        young = k % 6 == 0
        start = date(2023, 9, 1) if young else date(2000 + k % 20, 9, 1)
        staff_rows.append({"i": inst_ids[k % n_inst], "ln": f"Фамилия{k}", "ps": start, "bd": date(1990, 1, 1)})
    conn.execute(text("INSERT INTO staff (institution_id, last_name, first_name, middle_name, position, category, "
                      "pedagogical_start, institution_start, birth_date, work_email, created_at, updated_at) VALUES "
                      "(:i, :ln, 'Имя', 'Отчество', 'vospitatel', 'FIRST', :ps, :ps, :bd, '', now(), now())"), staff_rows)
    staff_by_inst: dict[int, list[int]] = {}
    for sid, iid in conn.execute(text("SELECT id, institution_id FROM staff ORDER BY id")):
        staff_by_inst.setdefault(iid, []).append(sid)
    start = date(2024, 9, 1)
    group_rows, member_rows, program_rows = [], [], []
    for g in range(n_groups):
        iid = inst_ids[g % n_inst]
        people = staff_by_inst[iid]
        slot = g // n_inst
        state = ["active", "active", "completed", "proposed"][g % 4]
        group_rows.append({"i": iid, "s": start, "st": state, "e": date(2025, 2, 15) if state == "completed" else None,
                           "m": people[(2 * slot) % len(people)], "t": people[(2 * slot + 1) % len(people)]})
    conn.execute(text("INSERT INTO mentoring_group (institution_id, format, start_date, end_date, state, academic_year, "
                      "created_at) VALUES (:i, 'in_person', :s, :e, :st, '2024-2025', now())"),
                 [{k: v for k, v in r.items() if k not in "mt"} for r in group_rows])
    group_ids = [r[0] for r in conn.execute(text("SELECT id FROM mentoring_group ORDER BY id"))]
    for gid, r in zip(group_ids, group_rows):
        member_rows += [{"i": r["i"], "g": gid, "s": r["m"], "r": "mentor", "j": start},
                        {"i": r["i"], "g": gid, "s": r["t"], "r": "mentee", "j": start}]
        if r["st"] != "proposed":
            program_rows.append({"i": r["i"], "g": gid, "s": r["t"], "st": r["st"],
                                 "c": r["e"]})
    conn.execute(text("INSERT INTO group_member (institution_id, group_id, staff_id, role, joined_at) "
                      "VALUES (:i, :g, :s, :r, :j)"), member_rows)
    conn.execute(text("INSERT INTO program (institution_id, group_id, mentee_staff_id, title, difficulties, strengths, "
                      "goal, tasks, expected_results, start_date, end_date, state, completed_at, completion_note, "
                      "created_at) VALUES (:i, :g, :s, 'Программа', '', '', 'Цель', '', '', DATE '2024-09-01', "
                      "DATE '2025-06-01', :st, :c, '', now())"), program_rows)
    programs = list(conn.execute(text("SELECT id, institution_id FROM program ORDER BY id")))
    item_rows = []
    per = max(1, n_items // len(programs))
    for pid, iid in programs:
        for k in range(per):
            due = date(2024, 9, 15) + timedelta(days=27 * k)
            status = "done" if rng.random() < 0.6 else ("overdue" if due < today else "planned")
            item_rows.append({"i": iid, "p": pid, "d": due, "st": status})
    conn.execute(text("INSERT INTO plan_item (institution_id, program_id, content, form, due_date, responsible, "
                      "expected_result, report_form, status, done_note) VALUES (:i, :p, 'Мероприятие', '', :d, '', '', "
                      "'', :st, '')"), item_rows)
    meeting_rows = [{"i": iid, "g": gid, "h": date(2025, 1, 10) + timedelta(days=7 * k)}
                    for gid, (iid,) in zip(group_ids, [(r["i"],) for r in group_rows]) for k in range(3)]
    conn.execute(text("INSERT INTO meeting (institution_id, group_id, held_on, duration_minutes, format, topic, notes) "
                      "VALUES (:i, :g, :h, 45, 'in_person', 'Встреча', '')"), meeting_rows)
    # The template roadmap per municipality, tasks: 32 activities × institutions × quarters (due on the 5th).
    for muni in range(1, n_muni + 1):
        rid = conn.execute(text("INSERT INTO roadmap (municipality_id, title, first_year, last_year, created_at) "
                                "VALUES (:m, :t, 2022, 2027, now()) RETURNING id"),
                           {"m": muni, "t": template_pokachi.TITLE}).scalar()
        number = 0
        for pos, (title, acts) in enumerate(template_pokachi.SECTIONS, start=1):
            sid = conn.execute(text("INSERT INTO roadmap_section (municipality_id, roadmap_id, position, title) "
                                    "VALUES (:m, :r, :p, :t) RETURNING id"), {"m": muni, "r": rid, "p": pos, "t": title}).scalar()
            for num, t, deadline, resp, level, result, rtype in acts:
                number += 1
                conn.execute(text("INSERT INTO roadmap_activity (municipality_id, roadmap_id, section_id, number, title, "
                                  "deadline_text, rule, responsible_text, level, result_text, result_type) VALUES "
                                  "(:m, :r, :s, :n, :t, :d, NULL, :rt, :l, :res, :rty)"),
                             {"m": muni, "r": rid, "s": sid, "n": num, "t": t, "d": deadline, "rt": resp, "l": level,
                              "res": result, "rty": rtype})
    activities = {}
    for aid, muni in conn.execute(text("SELECT id, municipality_id FROM roadmap_activity ORDER BY id")):
        activities.setdefault(muni, []).append(aid)
    quarters = [(2023 + q // 4, q % 4 + 1) for q in range(n_quarters)]
    task_rows = []
    for iid, muni in conn.execute(text("SELECT id, municipality_id FROM institution ORDER BY id")):
        for aid in activities[muni]:
            for y, q in quarters:
                due = date(y + (q == 4), (3 * q) % 12 + 1, 5)
                status = rng.choice(["accepted", "accepted", "submitted", "open", "returned"])
                task_rows.append({"i": iid, "a": aid, "p": f"{y}-Q{q}", "d": due,
                                  "w": deadlines.next_working_day(due), "st": status})
    for chunk in range(0, len(task_rows), 20000):
        conn.execute(text("INSERT INTO roadmap_task (institution_id, activity_id, period, due_date, working_due_date, "
                          "status, evidence_text, evidence_link, figures, review_comment) VALUES "
                          "(:i, :a, :p, :d, :w, :st, '', '', '{}', '')"), task_rows[chunk:chunk + 20000])
    return inst_ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--institutions", type=int, default=800)
    parser.add_argument("--staff", type=int, default=30000)
    parser.add_argument("--groups", type=int, default=6000)
    parser.add_argument("--items", type=int, default=60000)
    parser.add_argument("--quarters", type=int, default=12)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must point at an empty PostgreSQL database, e.g. postgresql://postgres@127.0.0.1:5432/bench")
    os.environ.setdefault("PORTAL_INSTANCE", "/tmp/nastavnik-bench")
    from flask_migrate import upgrade
    from sqlalchemy import text

    from portal import create_app
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password
    from portal.accounts.services import grant_role
    from portal.extensions import db
    from portal.roadmap.models import Snapshot
    from tasks.aggregation import run_inline
    from tenants.access import Role
    from tenants.context import platform_scope
    from tenants.models import Municipality

    app = create_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parents[1] / "migrations"))
        t0 = time.perf_counter()
        with db.engine.begin() as conn:
            generate(conn, args.institutions, args.staff, args.groups, args.items, args.quarters)
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
        generated = time.perf_counter() - t0

        t0 = time.perf_counter()
        count = run_inline(PERIOD)
        app_time = time.perf_counter() - t0
        t0 = time.perf_counter()
        with db.engine.connect() as conn:
            hand = {row[0]: dict(zip(KEYS, row[1:])) for row in conn.execute(text(HAND_SQL))}
        sql_time = time.perf_counter() - t0

        with platform_scope("bench check"):
            snaps = {s.institution_id: s.figures for s in db.session.query(Snapshot).filter_by(period=PERIOD)}
            muni = db.session.query(Municipality).order_by(Municipality.id).first()
            user = User(email="coordinator@bench.test", full_name="Координатор", password_hash=hash_password("x"))
            db.session.add(user)
            db.session.flush()
            grant_role(user, Role.COORDINATOR, municipality=muni)
            db.session.commit()
        mismatches = [(iid, k, snaps[iid][k], hand[iid][k]) for iid in hand for k in KEYS if snaps[iid][k] != hand[iid][k]]

        client = app.test_client()
        with client.session_transaction() as s:
            s["_user_id"], s["seen"], s["login_at"] = user.get_id(), time.time(), time.time()
        pages = {"indicators (40 institutions)": f"/m/{muni.slug}/indicators?period={PERIOD}",
                 "roadmap matrix (40 × 32)": f"/m/{muni.slug}/roadmap/1/matrix?year=2025"}
        timings = {}
        for name, url in pages.items():
            assert client.get(url).status_code == 200, url
            samples = []
            for _ in range(args.runs):
                t = time.perf_counter()
                client.get(url)
                samples.append((time.perf_counter() - t) * 1000)
            samples.sort()
            timings[name] = (statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)])

    print(f"data: {args.institutions} institutions, {args.staff} staff, {args.groups} groups, {args.items} plan items, "
          f"{args.institutions * 32 * args.quarters} roadmap tasks; generated in {generated:.0f} s")
    print(f"quarterly aggregation {PERIOD}, {count} institutions through the app: {app_time:.1f} s "
          f"({app_time / count * 1000:.0f} ms per institution)")
    print(f"baseline, one hand-written SQL query:          {sql_time:.2f} s")
    print(f"ratio app / SQL:                               {app_time / sql_time:.1f}×")
    print(f"figures that differ between the two:           {len(mismatches)}" +
          (f" e.g. {mismatches[:3]}" if mismatches else ""))
    for name, (median, p95) in timings.items():
        print(f"dashboard {name}: median {median:.0f} ms, p95 {p95:.0f} ms ({args.runs} runs)")


if __name__ == "__main__":
    main()
