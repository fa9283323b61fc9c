"""A web node or a worker never migrates, so it never imports Alembic (portal/schema.py); `flask db …` still has
every Flask-Migrate command."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIGRATION_TOOLS = ("alembic", "flask_migrate", "mako", "pygments")


def test_the_app_of_a_web_node_or_a_worker_does_not_import_the_migration_tools(tmp_path):
    code = ("import sys; from portal import create_app; create_app(); "
            f"print(sorted(m for m in {MIGRATION_TOOLS!r} if m in sys.modules))")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "PORTAL_INSTANCE": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_flask_db_offers_the_migration_commands_and_its_options_reach_them(app, tmp_path):
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["db", "--help"])
    assert listed.exit_code == 0
    assert all(name in listed.output for name in ("upgrade", "downgrade", "current", "heads", "stamp", "migrate"))
    assert runner.invoke(args=["db", "heads"]).exit_code == 0      # reads migrations/ (Alembic prints past the runner)
    assert runner.invoke(args=["db", "-d", str(tmp_path / "none"), "heads"]).exit_code != 0   # -d reaches Alembic
