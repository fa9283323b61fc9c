"""Test fixtures: the schema is built by running the migrations, once per session, on SQLite or on the
PostgreSQL of DATABASE_URL (with DATABASE_OWNER_URL as the owner); every test starts from empty tables."""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.factories import PASSWORD  # noqa: F401  (re-exported for tests)

_TMP = Path(tempfile.mkdtemp(prefix="nastavnik-tests-"))
os.environ.setdefault("PORTAL_INSTANCE", str(_TMP / "instance"))
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_TMP / 'test.sqlite3'}"
ON_POSTGRES = os.environ["DATABASE_URL"].startswith("postgres")
TEST_OVERRIDES = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_KIB": 1024,
    "SERVER_NAME": None,
    # Tasks run in-process unless a test asks for the real worker (fixture `real_queue`).
    "CELERY": {"task_always_eager": True},
    "UPLOAD_ROOT": str(_TMP / "uploads"),
}


def _owner_engine():
    from portal.config import _database_url

    url = os.environ.get("DATABASE_OWNER_URL") or _database_url(_TMP)
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return create_engine(url)


@pytest.fixture(scope="session")
def _schema():
    from flask_migrate import upgrade

    from portal import create_app

    if ON_POSTGRES:
        engine = _owner_engine()
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app(TEST_OVERRIDES)
    with app.app_context():
        upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"), revision="heads")
        from portal.extensions import db
        db.engine.dispose()
    engine = _owner_engine()
    tables = [t for t in reversed(_sorted_tables(engine)) if t != "alembic_version"]
    yield engine, tables
    engine.dispose()


def _sorted_tables(engine) -> list[str]:
    from portal.extensions import db

    known = [t.name for t in db.metadata.sorted_tables]
    existing = set(inspect(engine).get_table_names())
    return [t for t in known if t in existing] + sorted(existing - set(known))


def _wipe(engine, tables) -> None:
    with engine.begin() as conn:
        if ON_POSTGRES:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            conn.execute(text("PRAGMA foreign_keys=OFF"))
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))
            conn.execute(text("PRAGMA foreign_keys=ON"))


@pytest.fixture()
def app(_schema):
    from portal import create_app
    from portal.extensions import db

    engine, tables = _schema
    app = create_app(TEST_OVERRIDES)
    with app.app_context():
        yield app
        db.session.remove()
    _wipe(engine, tables)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def login(client):
    """login(user) puts the user's session into the test client, as a real login would."""

    def do(user, c=None):
        c = c or client
        now = time.time()
        with c.session_transaction() as s:
            s["_user_id"] = user.get_id()
            s["_fresh"] = True
            s["seen"] = s["login_at"] = now
        return c

    return do


@pytest.fixture()
def world(app):
    """Two institutions in one city and a third in another, with curators: the smallest multi-tenant world."""
    from tests.factories import make_world

    return make_world()


# --- a live server and a real browser for journeys ----------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture()
def live_server(app):
    """The app served over HTTP from a thread, on the same database as the test."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def _browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("PORTAL_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
        pytest.skip("Debian's Chromium is not installed; browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture()
def page(_browser, live_server):
    context = _browser.new_context(base_url=live_server, locale="ru-RU", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.console_errors = errors
    yield page
    shots = os.environ.get("PORTAL_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
    context.close()


# --- a real Celery worker on Redis, for tests about tasks -------------------------------------------------------

REDIS = os.environ.get("REDIS_URL", "")


@pytest.fixture(scope="session")
def celery_worker_process(_schema):
    """A real `celery worker` process on the test database and Redis (tests marked `redis`)."""
    import subprocess
    import sys

    if not REDIS:
        pytest.skip("needs REDIS_URL")
    import redis as redis_lib

    redis_lib.Redis.from_url(REDIS).flushdb()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024"}
    log = open(_TMP / "worker.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "tasks.worker", "worker", "--pool=solo",
                             "--loglevel=INFO", "--without-gossip", "--without-mingle", "-n", "test@%h"],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parent.parent)
    deadline = time.time() + 60
    while time.time() < deadline:
        if "ready" in (_TMP / "worker.log").read_text():
            break
        if proc.poll() is not None:
            raise RuntimeError("celery worker died:\n" + (_TMP / "worker.log").read_text())
        time.sleep(0.3)
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture()
def real_queue(app, celery_worker_process):
    """Send tasks to Redis for the real worker process instead of running them in-process."""
    celery = app.extensions["celery"]
    app.config["CELERY"]["task_always_eager"] = False
    celery.conf.task_always_eager = False
    yield celery


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """`item.failed` for fixtures that keep their logs when the test failed (tests/test_faults.py)."""
    outcome = yield
    if outcome.get_result().failed:
        item.failed = True
