"""Load benchmark (issue 15 item 8): logged-in users of different institutions and a coordinator on mixed pages,
beside a trivial page, against gunicorn with deploy/gunicorn.conf.py on PostgreSQL. Headless and bounded.

    pip install -e '.[bench]'     # locust
    DATABASE_URL=postgresql://portal_app@127.0.0.1:5432/<db> DATABASE_OWNER_URL=postgresql://postgres@127.0.0.1:5432/<db> \
        .venv/bin/python bench/load.py [--users 50] [--institutions 10] [--seconds 60] [--spawn-rate 10]

The database must be empty (its schema is migrated here, as the owner). Prepares a city of `--institutions`
institutions (60 staff, 20 pairs with programs and plans each, the template roadmap with the year's tasks), a
curator account per user spread over the institutions and a coordinator; starts gunicorn on a free loopback port
(PORTAL_ENV=development: plain-HTTP cookies on the loopback; the argon2id parameters and the bound on concurrent
hashes are the production defaults of portal/config.py); runs Locust headless for `--seconds` (users log in as
they are spawned — a login storm at the start — then think 1–3 s between pages); stops both. Prints throughput,
p50/p95/p99 and errors per kind of request (exact, from every request's time), for the whole run and for the
steady part after every user has logged in, and what the machine was doing (load average, busiest processes).
Only 127.0.0.1 is ever a target.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "load-bench-password-7"


def prepare(n_users: int, n_inst: int) -> dict:
    """Migrate the empty database and write the city, its people and their work; the plan Locust reads."""
    from datetime import date

    from portal.schema import upgrade

    from bench.mentoring import generate
    from portal import create_app
    from portal.accounts.models import User
    from portal.accounts.passwords import hash_password
    from portal.accounts.services import grant_role
    from portal.extensions import db
    from portal.roadmap import services as roadmap
    from tenants.access import Role
    from tenants.context import across_institutions, platform_scope
    from tenants.models import Institution, InstitutionKind, Municipality

    app = create_app()
    with app.app_context():
        upgrade()
        hashed = hash_password(PASSWORD)
        with platform_scope("load bench data"):
            city = Municipality(name="Нагрузочный", slug=f"load{int(time.time())}")
            db.session.add(city)
            db.session.flush()
            places = [Institution(municipality_id=city.id, slug=f"{city.slug}-{k}", kind=InstitutionKind.DOU,
                                  short_name=f"МАДОУ № {k:02d}", full_name=f"Муниципальное учреждение № {k}",
                                  mentor_capacity=2) for k in range(1, n_inst + 1)]
            db.session.add_all(places)
            db.session.commit()
            ids = [(p.id, p.slug) for p in places]
        inst_pages = []
        for inst_id, slug in ids:
            with platform_scope("load bench data"):
                inst = db.session.get(Institution, inst_id)
                staff_id, program_id, _ = generate(inst, 60, 20, 200)
            base = f"/i/{slug}"
            inst_pages.append({"dashboard": f"{base}/", "programs": f"{base}/programs/",
                               "program": f"{base}/programs/{program_id}", "groups": f"{base}/mentoring/groups",
                               "orders": f"{base}/mentoring/orders", "staff_card": f"{base}/staff/{staff_id}",
                               "roadmap": f"{base}/roadmap"})
        with platform_scope("load bench users"):
            curators = []
            for n in range(n_users):
                user = User(email=f"curator{n}@{city.slug}.bench", full_name=f"Куратор {n}", password_hash=hashed)
                db.session.add(user)
                db.session.flush()
                grant_role(user, Role.CURATOR, institution=db.session.get(Institution, ids[n % n_inst][0]))
                curators.append({"email": user.email, **inst_pages[n % n_inst]})
            coordinator = User(email=f"coordinator@{city.slug}.bench", full_name="Координатор", password_hash=hashed)
            db.session.add(coordinator)
            db.session.flush()
            grant_role(coordinator, Role.COORDINATOR, municipality=db.session.get(Municipality, city.id))
            db.session.commit()
        year = min(max(date.today().year, 2022), 2024)   # inside the template roadmap's period
        with across_institutions(municipality_ids={city.id}, reason="load bench data"):
            row = roadmap.from_template(city.id)
            roadmap.generate_tasks(row, year)
            db.session.commit()
            roadmap_id = row.id
        db.engine.dispose()
    c = f"/m/{city.slug}"
    return {"password": PASSWORD, "curators": curators,
            "coordinator": {"email": coordinator.email, "home": f"{c}/", "indicators": f"{c}/indicators",
                            "matrix": f"{c}/roadmap/{roadmap_id}/matrix?year={year}"}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    import urllib.request

    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds} s")


def _machine() -> str:
    load = os.getloadavg()
    top = subprocess.run(["ps", "-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"], capture_output=True, text=True)
    busiest = ", ".join(" ".join(line.split()) for line in top.stdout.splitlines()[:6])
    return f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores; busiest: {busiest}"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q * len(ordered))) - 1))] if ordered else 0.0


KINDS = {"logged-in pages": lambda n: n not in ("login", "login form") and not n.startswith("trivial"),
         "login (argon2id)": lambda n: n == "login", "trivial: login form": lambda n: n.startswith("trivial")}


def report(samples: list, seconds: float, steady_from: float) -> None:
    print(f"{'':26}{'requests':>9}{'req/s':>7}{'p50':>7}{'p95':>7}{'p99':>7}{'errors':>7}   (ms)")
    for part, chosen in (("whole run", samples), ("steady (all logged in)", [s for s in samples if s[0] >= steady_from])):
        span = seconds if part == "whole run" else max(1e-9, max((s[0] for s in chosen), default=steady_from) - steady_from)
        print(part)
        for kind, wanted in KINDS.items():
            rows = [s for s in chosen if wanted(s[1])]
            times = [s[2] for s in rows]
            print(f"  {kind:24}{len(rows):9d}{len(rows) / span:7.1f}{_percentile(times, .5):7.0f}"
                  f"{_percentile(times, .95):7.0f}{_percentile(times, .99):7.0f}{sum(bool(s[3]) for s in rows):7d}")
    errors: dict[str, int] = {}
    for s in samples:
        if s[3]:
            errors[f"{s[1]}: {s[3]}"] = errors.get(f"{s[1]}: {s[3]}", 0) + 1
    if errors:
        print("errors: " + "; ".join(f"{k} ×{v}" for k, v in sorted(errors.items())))
    names = sorted({s[1] for s in samples})
    print("per page, steady: " + "; ".join(
        f"{n} p95 {_percentile([s[2] for s in samples if s[1] == n and s[0] >= steady_from], .95):.0f}" for n in names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--institutions", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=10)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        sys.exit("DATABASE_URL must point at an empty PostgreSQL database (and DATABASE_OWNER_URL at its owner)")
    work = Path(tempfile.mkdtemp(prefix="load-"))
    env = {**os.environ, "PORTAL_ENV": "development", "PORTAL_INSTANCE": str(work),
           "SECRET_KEY": os.environ.get("SECRET_KEY") or os.urandom(24).hex()}
    os.environ.update(env)
    t0 = time.perf_counter()
    plan = prepare(args.users, args.institutions)
    (work / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    print(f"data: {args.institutions} institutions × 60 staff, 20 pairs, 200 plan items; {args.users} curators, "
          f"1 coordinator; prepared in {time.perf_counter() - t0:.0f} s")
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py"), "wsgi:app"],
                              cwd=ROOT, env={**env, "PORTAL_BIND": f"127.0.0.1:{port}"},
                              stdout=(work / "gunicorn.log").open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for(f"http://127.0.0.1:{port}/login")
        print(f"gunicorn -c deploy/gunicorn.conf.py on 127.0.0.1:{port} "
              f"({env.get('WEB_CONCURRENCY') or f'{2 * os.cpu_count() + 1} workers'} × 2 threads)")
        print(f"machine before: {_machine()}")
        total = args.users + 2
        started = time.time()
        locust = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(ROOT / "bench/load_locustfile.py"), "--headless",
             "-u", str(total), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s", "--stop-timeout", "5",
             "--host", f"http://127.0.0.1:{port}", "--only-summary", "--loglevel", "WARNING"],
            env={**env, "PORTAL_LOAD_PLAN": str(work / "plan.json"), "PORTAL_LOAD_SAMPLES": str(work / "samples.json")},
            capture_output=True, text=True, timeout=args.seconds + 120)
        print(f"machine during (at the end of the run): {_machine()}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)   # the gunicorn this bench started, and its workers
        server.wait(timeout=30)
    if locust.returncode not in (0, 1):   # 1: some requests failed — reported below
        sys.exit(f"locust failed ({locust.returncode}):\n{locust.stderr[-3000:]}")
    samples = json.loads((work / "samples.json").read_text(encoding="utf-8"))
    steady_from = started + total / args.spawn_rate + 5
    print(f"{args.users} curators + 1 coordinator + 1 trivial-page user for {args.seconds} s "
          f"(spawned {args.spawn_rate:g}/s; steady from {steady_from - started:.0f} s)")
    report(samples, args.seconds, steady_from)


if __name__ == "__main__":
    main()
