"""Benchmark of the roadmap pages at city scale (issue 15: the status matrix, the institution's roadmap).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<empty db> .venv/bin/python bench/matrix.py \
        [--institutions 40] [--year 2024] [--runs 30]

Generates one city with the given institutions, the built-in template roadmap (32 activities) and the tasks of a
year for every institution (as the coordinator's «Создать задачи» does), with states spread over all five; then
measures server time through the WSGI app (no network), median / p95 in ms: the coordinator's status matrix, one
cell's tasks loaded on demand, and an institution's roadmap page. Baselines measured in the same run: the city's
home page for the coordinator, a staff card for the curator — the cheapest pages with a login and a tenant. It
also prints the statements each page sends and the matrix's size in bytes. Without DATABASE_URL: a fresh SQLite file.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _timed(client, url: str, runs: int, headers=None) -> tuple[list[float], int]:
    first = client.get(url, headers=headers)  # warm caches, templates and the once-a-day audit record
    assert first.status_code == 200, (url, first.status_code)
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return out, len(first.data)


def _figures(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def _statements(app, client, url: str, headers=None) -> int:
    from portal.extensions import db
    from tests.query_budget import statements

    with app.app_context():
        db.session.remove()
        with statements() as sent:
            client.get(url, headers=headers)
    return sent.count


def _login(app, user):
    client = app.test_client()
    with client.session_transaction() as s:
        s["_user_id"], s["seen"], s["login_at"] = user.get_id(), time.time(), time.time()
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--institutions", type=int, default=40)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("PORTAL_INSTANCE", tempfile.mkdtemp())

    from datetime import date

    from portal.schema import upgrade

    from portal import create_app
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password
    from portal.accounts.services import grant_role
    from portal.extensions import db
    from portal.roadmap import services
    from portal.roadmap.models import Activity, RoadmapTask, TaskStatus
    from portal.staff.models import Staff
    from tenants.access import Role
    from tenants.context import across_institutions, platform_scope
    from tenants.models import Institution, InstitutionKind, Municipality

    app = create_app({"WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
        t0 = time.perf_counter()
        with platform_scope("bench setup"):
            city = Municipality(name="Бенчград", slug=f"bench{int(time.time())}")
            db.session.add(city)
            db.session.flush()
            places = [Institution(municipality_id=city.id, slug=f"{city.slug}-{n}", kind=InstitutionKind.DOU,
                                  short_name=f"МАДОУ № {n:02d}", full_name=f"Муниципальное учреждение № {n}")
                      for n in range(1, args.institutions + 1)]
            db.session.add_all(places)
            db.session.flush()
            staff = Staff(institution_id=places[0].id, last_name="Бенчева", first_name="Анна", middle_name="Ивановна",
                          position="vospitatel", pedagogical_start=date(2010, 9, 1), institution_start=date(2015, 9, 1))
            db.session.add(staff)
            coordinator = User(email=f"coordinator@{city.slug}.bench", full_name="Координатор Бенча",
                               password_hash=hash_password("x"))
            curator = User(email=f"curator@{city.slug}.bench", full_name="Куратор Бенча", password_hash=hash_password("x"))
            db.session.add_all([coordinator, curator])
            db.session.flush()
            grant_role(coordinator, Role.COORDINATOR, municipality=city)
            grant_role(curator, Role.CURATOR, institution=places[0])
            db.session.commit()
        with across_institutions(municipality_ids={city.id}, reason="bench data"):
            row = services.from_template(city.id)
            services.generate_tasks(row, args.year)
            db.session.commit()
            roadmap_id = row.id
        with platform_scope("bench states"):
            states = [TaskStatus.OPEN, TaskStatus.SUBMITTED, TaskStatus.ACCEPTED, TaskStatus.RETURNED, TaskStatus.ACCEPTED]
            ids = list(db.session.execute(db.select(RoadmapTask.id).order_by(RoadmapTask.id)).scalars())
            for k, state in enumerate(states):
                db.session.execute(db.update(RoadmapTask).where(RoadmapTask.id.in_(ids[k::len(states)]))
                                   .values(status=state))
            n_tasks, n_activities = len(ids), db.session.execute(db.select(db.func.count(Activity.id)).where(
                Activity.roadmap_id == roadmap_id)).scalar_one()
            multi = db.session.execute(db.select(RoadmapTask.activity_id).where(
                RoadmapTask.institution_id == places[0].id, RoadmapTask.period.like(f"{args.year}-Q%"))).scalars().first()
            db.session.commit()
        generated = time.perf_counter() - t0
        import gc

        gc.collect()
        gc.freeze()   # as a web node does once the app is loaded (deploy/gunicorn.conf.py, post_worker_init)
        coord, cur = _login(app, coordinator), _login(app, curator)
        city_base, inst_base = f"/m/{city.slug}", f"/i/{places[0].slug}"
        matrix = f"{city_base}/roadmap/{roadmap_id}/matrix?year={args.year}"
        cell = f"{city_base}/roadmap/{roadmap_id}/matrix/{multi}/{places[0].id}?year={args.year}&quarter=1"
        pages = {
            "baseline: city home (coordinator)": (coord, f"{city_base}/", None),
            "status matrix": (coord, matrix, None),
            "a cell's tasks (HTMX)": (coord, cell, {"HX-Request": "true"}),
            "baseline: staff card (curator)": (cur, f"{inst_base}/staff/{staff.id}", None),
            "institution roadmap page": (cur, f"{inst_base}/roadmap?year={args.year}", None),
        }
        results = {}
        for name, (client, url, headers) in pages.items():
            samples, size = _timed(client, url, args.runs, headers)
            results[name] = (samples, size, _statements(app, client, url, headers))
    engine = os.environ["DATABASE_URL"].split(":", 1)[0]
    print(f"data: {args.institutions} institutions × {n_activities} activities, {n_tasks} tasks of {args.year} on "
          f"{engine}, generated in {generated:.1f} s; {args.runs} runs each (server time through WSGI, ms)")
    print(f"{'':36}{'median':>9}{'p95':>9}{'× base':>8}{'stmts':>7}{'bytes':>9}")
    base = None
    for name, (samples, size, sent) in results.items():
        median, p95 = _figures(samples)
        if name.startswith("baseline"):
            base = median
        print(f"{name:36}{median:9.1f}{p95:9.1f}{median / base:8.1f}{sent:7d}{size:9d}")
    p95 = _figures(results["status matrix"][0])[1]
    print(f"status matrix p95 {p95:.0f} ms (goal ≤ 100 ms): {'met' if p95 <= 100 else 'NOT met'}")


if __name__ == "__main__":
    main()
