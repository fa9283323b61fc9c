"""Benchmark of an institution's mentoring pages (issue «Mentoring inside an institution»).

    .venv/bin/python bench/mentoring.py [--staff 300] [--groups 100] [--items 2000] [--runs 30]

Generates one institution with the given staff, pairs, programs and plan items in a fresh SQLite file (or the
database of DATABASE_URL), then measures server time through the WSGI app (no network): the curator's dashboard,
a program page, and the order DOCX of 100 pairs. The baseline, measured in the same run, is the cheapest page
with a login and a tenant (the staff card of one person), so the ratios survive a slow machine.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _timed(client, url: str, runs: int) -> list[float]:
    client.get(url)  # warm caches and templates
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out


def _figures(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def generate(inst, staff_n: int, groups_n: int, items_n: int):
    from portal.extensions import db
    from portal.mentoring.models import GroupMember, MentoringGroup, Order, OrderGroup, OrderItem
    from portal.programs.models import PlanItem, Program
    from portal.mentoring.states import GroupState, MemberRole, OrderKind, PlanItemStatus, ProgramState
    from portal.staff.dictionaries import Category
    from portal.staff.models import Staff
    from tenants.context import platform_scope

    today = date.today()
    with platform_scope("bench data"):
        staff = [Staff(institution_id=inst.id, last_name=f"Фамилия{n:03d}", first_name="Имя", middle_name="Отчество",
                       position="vospitatel", category=Category.HIGHEST if n < groups_n else Category.NONE,
                       pedagogical_start=date(2000 + n % 25, 9, 1), institution_start=date(2010 + n % 15, 9, 1))
                 for n in range(staff_n)]
        db.session.add_all(staff)
        db.session.flush()
        mentors, mentees = staff[:groups_n], staff[groups_n:2 * groups_n]
        start = today - timedelta(days=60)
        programs = []
        for mentor, mentee in zip(mentors, mentees):
            group = MentoringGroup(institution_id=inst.id, start_date=start, academic_year="2026-2027",
                                   state=GroupState.ACTIVE)
            group.members += [GroupMember(institution_id=inst.id, staff_id=mentor.id, role=MemberRole.MENTOR,
                                          joined_at=start, consent_date=start),
                              GroupMember(institution_id=inst.id, staff_id=mentee.id, role=MemberRole.MENTEE,
                                          joined_at=start, consent_date=start)]
            db.session.add(group)
            db.session.flush()
            program = Program(institution_id=inst.id, group_id=group.id, mentee_staff_id=mentee.id,
                              title="Программа адаптации", goal="Адаптация", start_date=start,
                              end_date=start + timedelta(days=270), state=ProgramState.ACTIVE)
            db.session.add(program)
            programs.append(program)
        db.session.flush()
        per = max(1, items_n // len(programs))
        for program in programs:
            for k in range(per):
                due = start + timedelta(days=7 * k)
                db.session.add(PlanItem(institution_id=inst.id, program_id=program.id, content=f"Мероприятие {k + 1}",
                                        due_date=due, status=PlanItemStatus.DONE if due < today - timedelta(days=14)
                                        else (PlanItemStatus.OVERDUE if due < today else PlanItemStatus.PLANNED)))
        order = Order(institution_id=inst.id, kind=OrderKind.PAIRS, number="1-О", issued_on=today, title="О наставничестве",
                      items=[OrderItem(institution_id=inst.id, position=1,
                                       text="Утвердить список наставников и наставляемых.")],
                      academic_year="2026-2027")
        db.session.add(order)
        db.session.flush()
        groups = db.session.execute(db.select(MentoringGroup.id).where(MentoringGroup.institution_id == inst.id)).scalars()
        db.session.add_all(OrderGroup(institution_id=inst.id, order_id=order.id, group_id=gid) for gid in groups)
        db.session.commit()
        return staff[0].id, programs[0].id, order.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--staff", type=int, default=300)
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("PORTAL_INSTANCE", tempfile.mkdtemp())

    from portal.schema import upgrade

    from portal import create_app
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password
    from portal.accounts.services import grant_role
    from portal.extensions import db
    from tenants.access import Role
    from tenants.context import platform_scope
    from tenants.models import Institution, InstitutionKind, Municipality

    app = create_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        with platform_scope("bench setup"):
            city = Municipality(name="Бенчград", slug=f"bench{int(time.time())}")
            db.session.add(city)
            db.session.flush()
            inst = Institution(municipality_id=city.id, slug=f"bench-{city.slug}", kind=InstitutionKind.DOU,
                               short_name="МАДОУ «Бенч»", full_name="Муниципальное дошкольное учреждение «Бенч»",
                               mentor_capacity=2)
            db.session.add(inst)
            user = User(email=f"curator@{city.slug}.bench", full_name="Куратор Бенча", password_hash=hash_password("x"))
            db.session.add(user)
            db.session.flush()
            grant_role(user, Role.CURATOR, institution=inst)
            db.session.commit()
        t0 = time.perf_counter()
        staff_id, program_id, order_id = generate(inst, args.staff, args.groups, args.items)
        generated = time.perf_counter() - t0
        import gc

        gc.collect()
        gc.freeze()   # as a web node does once the app is loaded (deploy/gunicorn.conf.py, post_worker_init)
        client = app.test_client()
        with client.session_transaction() as s:
            s["_user_id"], s["seen"], s["login_at"] = user.get_id(), time.time(), time.time()
        base = f"/i/{inst.slug}"
        rows = {
            "baseline: staff card": _timed(client, f"{base}/staff/{staff_id}", args.runs),
            "curator dashboard": _timed(client, f"{base}/", args.runs),
            "program page": _timed(client, f"{base}/programs/{program_id}", args.runs),
            "order DOCX, 100 pairs": _timed(client, f"{base}/mentoring/orders/{order_id}/order.docx",
                                            max(5, args.runs // 3)),
        }
    engine = os.environ["DATABASE_URL"].split(":", 1)[0]
    print(f"data: {args.staff} staff, {args.groups} pairs, {args.items} plan items on {engine}, "
          f"generated in {generated:.1f} s; {args.runs} runs each (server time through WSGI, ms)")
    baseline = _figures(rows["baseline: staff card"])[0]
    print(f"{'':28}{'median':>10}{'p95':>10}{'× baseline':>12}")
    for name, samples in rows.items():
        median, p95 = _figures(samples)
        print(f"{name:28}{median:10.1f}{p95:10.1f}{median / baseline:12.1f}")


if __name__ == "__main__":
    main()
