"""Test fixtures: the schema is built by running the migrations, once per session, on SQLite or on the
PostgreSQL of DATABASE_URL (with DATABASE_OWNER_URL as the owner); the app is created once per session; every
test starts from empty tables (rolled back, or wiped after tests that must commit)."""
from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import request, request_finished
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from sqlalchemy import create_engine, event, inspect, text

from tests.factories import PASSWORD  # noqa: F401  (re-exported for tests)
from tests.print_checks import DOCX_MIME, XLSX_MIME, problems_of

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
    from portal.schema import upgrade

    from portal import create_app

    if ON_POSTGRES:
        engine = _owner_engine()
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("DROP SCHEMA IF EXISTS portal_private CASCADE"))  # tenants.rls keeps its key there
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app(TEST_OVERRIDES)
    with app.app_context():
        upgrade("heads")
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


# --- one app for the whole session; each test in a transaction rolled back at its end ----------------------------

# Tests that let another thread or process see their rows (a live server, a real worker) commit for real and
# pay for a wipe of every table afterwards; every other test runs inside one outer transaction that is rolled
# back. The services' own commit() then only releases a savepoint (SQLAlchemy's "join an external transaction"
# recipe, join_transaction_mode="create_savepoint").
COMMITTING_FIXTURES = {"live_server", "page", "real_queue", "celery_worker_process", "broker"}


@pytest.fixture(scope="session")
def _session_app(_schema):
    from portal import create_app

    return create_app(TEST_OVERRIDES)


@pytest.fixture(scope="session")
def _rollback_engine(_session_app):
    """An engine of its own for the rolled-back tests, so the app's engine keeps the driver's usual behaviour.

    pysqlite would otherwise neither emit BEGIN nor keep SAVEPOINTs inside one transaction (SQLAlchemy's
    documented pysqlite recipe: autocommit at the driver, BEGIN emitted by SQLAlchemy).
    """
    url = _session_app.config["SQLALCHEMY_DATABASE_URI"]
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        @event.listens_for(engine, "connect")
        def _driver_autocommit(dbapi_connection, record):
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _emit_begin(conn):
            conn.exec_driver_sql("BEGIN")
    yield engine
    engine.dispose()


@contextmanager
def _rolled_back(app, engine):
    from flask import appcontext_popped
    from sqlalchemy.orm import scoped_session, sessionmaker

    from portal.extensions import db
    from tenants import rls

    connection = engine.connect()
    outer = connection.begin()
    original = db.session
    options = {**original.session_factory.kw, "bind": connection, "join_transaction_mode": "create_savepoint"}
    db.session = scoped_session(sessionmaker(class_=_JoinedSession, **options),
                                scopefunc=original.registry.scopefunc)

    def _restore_scope(sender, **extra):
        # An eager task or CLI command ran in an app context of its own on this same connection; its
        # transaction-local RLS settings must not outlive it (a real task has a transaction of its own).
        if not connection.closed:
            rls.apply(connection)

    appcontext_popped.connect(_restore_scope, app)
    try:
        yield
    finally:
        appcontext_popped.disconnect(_restore_scope, app)
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()


class _JoinedSession(FlaskSQLAlchemySession):
    """A session on the test's one connection that behaves as if it had a transaction of its own.

    Flask-SQLAlchemy's session picks an engine per bind key; this one always uses the test's connection. Closing
    a real session discards only its own unsaved writes; here its savepoint would also take with it the committed
    work of a session nested inside (an eager task started by another task, each in its own app context). So a
    session that wrote nothing since its last commit releases its savepoint on close instead of rolling it back.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return bind if bind is not None else self.bind

    def close(self) -> None:
        pending = self.new or self.dirty or self.deleted or self.info.get("unsaved_writes")
        if self.in_transaction() and not pending:
            self.commit()
        super().close()


@event.listens_for(_JoinedSession, "after_flush")
def _wrote(session, flush_context) -> None:
    session.info["unsaved_writes"] = True


@event.listens_for(_JoinedSession, "after_transaction_end")
def _saved_or_discarded(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop("unsaved_writes", None)


def _commits(request) -> bool:
    return request.node.get_closest_marker("commits") is not None or bool(COMMITTING_FIXTURES & set(request.fixturenames))


@pytest.fixture()
def app(request, _schema, _session_app, _rollback_engine):
    from portal import create_app
    from portal.extensions import db

    engine, tables = _schema
    if request.node.get_closest_marker("fresh_app"):
        app = create_app(TEST_OVERRIDES)  # the test adds routes, which a served app no longer accepts
    else:
        app = _session_app
    config = dict(app.config)
    celery_eager = app.extensions["celery"].conf.task_always_eager
    badly_printed = _watch_documents(app)
    try:
        with app.app_context():
            if _commits(request):
                try:
                    yield app
                finally:
                    db.session.remove()
                    _wipe(engine, tables)
            else:
                with _rolled_back(app, _rollback_engine):
                    yield app
    finally:
        app.config.clear()
        app.config.update(config)
        app.extensions["celery"].conf.task_always_eager = celery_eager
        _session_app.extensions["celery"].set_default()  # a fresh app made its own Celery the default
        request_finished.disconnect(badly_printed.receive, app)
    assert badly_printed == [], "documents that do not print well:\n" + "\n".join(badly_printed)


class _Problems(list):
    def receive(self, sender, response, **extra):
        if response.mimetype in (DOCX_MIME, XLSX_MIME) and not response.direct_passthrough and not response.is_streamed:
            self.extend(problems_of(response.mimetype, response.get_data(), request.path))


def _watch_documents(app) -> _Problems:
    """Every DOCX and XLSX the app answers in any test is checked by tests/print_checks.py."""
    problems = _Problems()
    request_finished.connect(problems.receive, app)
    return problems


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
