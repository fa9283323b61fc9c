"""A region's data for the benchmarks, written straight into an empty PostgreSQL database with set-based SQL.

20 municipalities and their institutions, staff (some young specialists by age and experience, some set by hand),
mentoring forms, pairs with members, programs with plan items, meetings, an issued order per institution with its
acknowledgement list, an anonymous and a named survey per city, and the template roadmap per municipality with
tasks for 32 activities × institutions × quarters. Every figure the indicators store has rows behind it.
"""
from __future__ import annotations

import json
import random
from datetime import date, timedelta

MUNICIPALITIES = 20
FORMS = ["Традиционная форма наставничества («один-на-один»)", "Групповая форма наставничества",
         "Виртуальное (дистанционное) наставничество"]


def generate(conn, n_inst: int, n_staff: int, n_groups: int, n_items: int, n_quarters: int) -> list[int]:
    from sqlalchemy import text

    rng = random.Random(2025)
    conn.execute(text("INSERT INTO municipality (name, slug) SELECT 'Город ' || g, 'city' || g "
                      "FROM generate_series(1, :n) g"), {"n": MUNICIPALITIES})
    conn.execute(text("INSERT INTO institution (municipality_id, full_name, short_name, kind, slug, address, site_url, "
                      "mentor_capacity) SELECT 1 + (g - 1) % :m, 'Учреждение ' || g, 'ОО ' || lpad(g::text, 3, '0'), "
                      "'DOU', 'inst' || g, '', '', 2 FROM generate_series(1, :n) g"), {"m": MUNICIPALITIES, "n": n_inst})
    inst_ids = [r[0] for r in conn.execute(text("SELECT id FROM institution ORDER BY id"))]
    staff_rows = []
    for k in range(n_staff):
        young = k % 6 == 0
        start = date(2022, 9, 1 + k % 28) if young else date(2000 + k % 20, 9, 1)
        birth = [date(1992, 5, 17), date(1989, 3, 31), None, date(1990, 1, 1)][k % 4]
        manual = True if k % 97 == 0 else (False if k % 89 == 0 else None)
        staff_rows.append({"i": inst_ids[k % n_inst], "ln": f"Фамилия{k}", "ps": start, "bd": birth, "ym": manual})
    conn.execute(text("INSERT INTO staff (institution_id, last_name, first_name, middle_name, position, category, "
                      "pedagogical_start, institution_start, birth_date, young_specialist_manual, work_email, created_at, "
                      "updated_at) VALUES (:i, :ln, 'Имя', 'Отчество', 'vospitatel', 'FIRST', :ps, :ps, :bd, :ym, '', "
                      "now(), now())"), staff_rows)
    staff_by_inst: dict[int, list[int]] = {}
    for sid, iid in conn.execute(text("SELECT id, institution_id FROM staff ORDER BY id")):
        staff_by_inst.setdefault(iid, []).append(sid)
    conn.execute(text("INSERT INTO mentoring_form (institution_id, name, builtin, archived) "
                      "SELECT i.id, f.name, true, false FROM institution i, unnest(CAST(:names AS text[])) f(name)"),
                 {"names": FORMS})
    forms_by_inst: dict[int, list[int]] = {}
    for fid, iid in conn.execute(text("SELECT id, institution_id FROM mentoring_form ORDER BY id")):
        forms_by_inst.setdefault(iid, []).append(fid)
    start = date(2024, 9, 1)
    group_rows, member_rows, program_rows = [], [], []
    for g in range(n_groups):
        iid = inst_ids[g % n_inst]
        people = staff_by_inst[iid]
        slot = g // n_inst
        state = ["active", "active", "completed", "proposed"][g % 4]
        form = None if g % 7 == 0 else forms_by_inst[iid][g % 3]
        group_rows.append({"i": iid, "f": form, "s": start, "st": state,
                           "e": date(2025, 2, 15) if state == "completed" else None,
                           "m": people[(2 * slot) % len(people)], "t": people[(2 * slot + 1) % len(people)]})
    conn.execute(text("INSERT INTO mentoring_group (institution_id, form_id, format, start_date, end_date, state, "
                      "academic_year, created_at) VALUES (:i, :f, 'in_person', :s, :e, :st, '2024-2025', now())"),
                 [{k: v for k, v in r.items() if k not in "mt"} for r in group_rows])
    group_ids = [r[0] for r in conn.execute(text("SELECT id FROM mentoring_group ORDER BY id"))]
    for gid, r in zip(group_ids, group_rows):
        member_rows += [{"i": r["i"], "g": gid, "s": r["m"], "r": "mentor", "j": start},
                        {"i": r["i"], "g": gid, "s": r["t"], "r": "mentee", "j": start}]
        if r["st"] != "proposed":
            program_rows.append({"i": r["i"], "g": gid, "s": r["t"], "st": r["st"], "c": r["e"]})
    conn.execute(text("INSERT INTO group_member (institution_id, group_id, staff_id, role, joined_at) "
                      "VALUES (:i, :g, :s, :r, :j)"), member_rows)
    conn.execute(text("INSERT INTO program (institution_id, group_id, mentee_staff_id, title, difficulties, strengths, "
                      "goal, tasks, expected_results, start_date, end_date, state, completed_at, completion_note, "
                      "created_at) VALUES (:i, :g, :s, 'Программа', '', '', 'Цель', '', '', DATE '2024-09-01', "
                      "DATE '2025-06-01', :st, :c, '', now())"), program_rows)
    _plan_items(conn, rng, n_items)
    meeting_rows = [{"i": r["i"], "g": gid, "h": date(2025, 1, 10) + timedelta(days=7 * k)}
                    for gid, r in zip(group_ids, group_rows) for k in range(3)]
    conn.execute(text("INSERT INTO meeting (institution_id, group_id, held_on, duration_minutes, format, topic, notes) "
                      "VALUES (:i, :g, :h, 45, 'in_person', 'Встреча', '')"), meeting_rows)
    _orders(conn)
    _surveys(conn)
    _roadmaps(conn, rng, n_quarters)
    return inst_ids


def _plan_items(conn, rng, n_items: int) -> None:
    from sqlalchemy import text

    today = date.today()
    programs = list(conn.execute(text("SELECT id, institution_id FROM program ORDER BY id")))
    rows = []
    per = max(1, n_items // max(1, len(programs)))
    for pid, iid in programs:
        for k in range(per):
            due = date(2024, 9, 15) + timedelta(days=27 * k)
            status = "done" if rng.random() < 0.6 else ("overdue" if due < today else "planned")
            rows.append({"i": iid, "p": pid, "d": due, "st": status})
    conn.execute(text("INSERT INTO plan_item (institution_id, program_id, content, form, due_date, responsible, "
                      "expected_result, report_form, status, done_note) VALUES (:i, :p, 'Мероприятие', '', :d, '', '', "
                      "'', :st, '')"), rows)


def _orders(conn) -> None:
    """An issued order per institution in February 2025, every pair's members to acknowledge it, two in three did."""
    from sqlalchemy import text

    conn.execute(text("INSERT INTO mentoring_order (institution_id, kind, number, issued_on, title, preamble, "
                      "signer_position, signer_name, academic_year, issued_at, created_at) SELECT id, 'pairs', '1-О', "
                      "DATE '2025-02-03', 'О наставничестве', '', 'Заведующий', 'Сидорова А.А.', "
                      "'2024-2025', TIMESTAMP '2025-02-03 10:00', now() FROM institution"))
    conn.execute(text("INSERT INTO order_item (institution_id, order_id, position, text, responsible_text) "
                      "SELECT institution_id, id, 1, 'Закрепить наставников за наставляемыми.', '' FROM mentoring_order"))
    conn.execute(text("""
        INSERT INTO acknowledgement (institution_id, order_id, staff_id, due_date, acknowledged_at, on_paper)
        SELECT DISTINCT ON (m.institution_id, m.staff_id) m.institution_id, o.id, m.staff_id, DATE '2025-02-10',
               CASE WHEN m.staff_id % 3 <> 0 THEN TIMESTAMP '2025-02-05 12:00' END, false
        FROM group_member m JOIN mentoring_order o ON o.institution_id = m.institution_id"""))


def _surveys(conn) -> None:
    """Per city: an anonymous campaign with per-institution tallies for 2025-Q1, and a named one with responses."""
    from sqlalchemy import text

    from portal.surveys.services import DEFAULT_TEMPLATES

    title, questions = DEFAULT_TEMPLATES["mentee"]
    for muni in range(1, MUNICIPALITIES + 1):
        tid = conn.execute(text("INSERT INTO survey_template (municipality_id, title, audience, questions, builtin) "
                                "VALUES (:m, :t, 'mentee', :q, true) RETURNING id"),
                           {"m": muni, "t": title, "q": json.dumps(questions, ensure_ascii=False)}).scalar()
        for anonymous in (True, False):
            cid = conn.execute(text("INSERT INTO survey_campaign (municipality_id, template_id, title, audience, anonymous, "
                                    "origin, opens_on, closes_on) VALUES (:m, :t, 'Анкетирование', 'mentee', :a, "
                                    "'campaign', DATE '2025-01-15', DATE '2025-03-20') RETURNING id"),
                               {"m": muni, "t": tid, "a": anonymous}).scalar()
            if anonymous:
                conn.execute(text("""
                    INSERT INTO survey_tally (institution_id, campaign_id, respondents, tallies)
                    SELECT i.id, :c, 5, json_build_object('2025-Q1', json_build_object('respondents', 5,
                        'q1', json_build_object((4 + i.id % 5)::text, 3, '9', 2, 'texts', json_build_array('Спасибо')),
                        'q2', json_build_object('8', 5)))
                    FROM institution i WHERE i.municipality_id = :m AND i.id % 4 <> 0"""), {"c": cid, "m": muni})
            else:
                conn.execute(text("""
                    INSERT INTO survey_response (institution_id, campaign_id, staff_id, answers, submitted_on)
                    SELECT s.institution_id, :c, s.id, json_build_object('q1', 1 + s.id % 10, 'q2', 7, 'q3', 'yes'),
                           DATE '2025-02-01' + (s.id % 40)
                    FROM staff s JOIN institution i ON i.id = s.institution_id
                    WHERE i.municipality_id = :m AND s.id % 25 = 0"""), {"c": cid, "m": muni})


def _roadmaps(conn, rng, n_quarters: int) -> None:
    """The template roadmap per municipality, tasks: 32 activities × institutions × quarters (due on the 5th)."""
    from sqlalchemy import text

    from portal.roadmap import deadlines, template_pokachi

    for muni in range(1, MUNICIPALITIES + 1):
        rid = conn.execute(text("INSERT INTO roadmap (municipality_id, title, first_year, last_year, created_at) "
                                "VALUES (:m, :t, 2022, 2027, now()) RETURNING id"),
                           {"m": muni, "t": template_pokachi.TITLE}).scalar()
        for pos, (title, acts) in enumerate(template_pokachi.SECTIONS, start=1):
            sid = conn.execute(text("INSERT INTO roadmap_section (municipality_id, roadmap_id, position, title) "
                                    "VALUES (:m, :r, :p, :t) RETURNING id"), {"m": muni, "r": rid, "p": pos, "t": title}).scalar()
            for num, t, deadline, resp, level, result, rtype in acts:
                conn.execute(text("INSERT INTO roadmap_activity (municipality_id, roadmap_id, section_id, number, title, "
                                  "deadline_text, rule, responsible_text, level, result_text, result_type) VALUES "
                                  "(:m, :r, :s, :n, :t, :d, NULL, :rt, :l, :res, :rty)"),
                             {"m": muni, "r": rid, "s": sid, "n": num, "t": t, "d": deadline, "rt": resp, "l": level,
                              "res": result, "rty": rtype})
    activities: dict[int, list[int]] = {}
    for aid, muni in conn.execute(text("SELECT id, municipality_id FROM roadmap_activity ORDER BY id")):
        activities.setdefault(muni, []).append(aid)
    quarters = [(2023 + q // 4, q % 4 + 1) for q in range(n_quarters)]
    rows = []
    for iid, muni in conn.execute(text("SELECT id, municipality_id FROM institution ORDER BY id")):
        for aid in activities[muni]:
            for y, q in quarters:
                due = date(y + (q == 4), (3 * q) % 12 + 1, 5)
                status = rng.choice(["accepted", "accepted", "submitted", "open", "returned"])
                rows.append({"i": iid, "a": aid, "p": f"{y}-Q{q}", "d": due, "w": deadlines.next_working_day(due),
                             "st": status})
    for chunk in range(0, len(rows), 20000):
        conn.execute(text("INSERT INTO roadmap_task (institution_id, activity_id, period, due_date, working_due_date, "
                          "status, evidence_text, evidence_link, figures, review_comment) VALUES "
                          "(:i, :a, :p, :d, :w, :st, '', '', '{}', '')"), rows[chunk:chunk + 20000])
