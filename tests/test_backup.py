"""deploy/backup.sh takes the database and the files as one dated set and never overwrites one; deploy/restore.sh
restores a set into an empty database, with the files, and the portal reads it back."""
from __future__ import annotations

import io
import os
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import create_engine, text

from portal.extensions import db
from tenants.context import institution_scope
from tests.conftest import ON_POSTGRES
from tests.factories import make_institution, make_staff

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.postgres, pytest.mark.commits,
              pytest.mark.skipif(not ON_POSTGRES, reason="backup.sh and restore.sh work on PostgreSQL")]


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def test_backup_is_one_dated_set_never_overwritten_and_restore_brings_it_back(app, tmp_path):
    from werkzeug.datastructures import FileStorage

    from portal.uploads.services import save_upload

    uploads = tmp_path / "uploads"
    app.config.update(STORAGE="local", UPLOAD_ROOT=str(uploads))
    inst = make_institution()
    make_staff(inst), make_staff(inst)
    with institution_scope(inst.id):
        key = save_upload(FileStorage(io.BytesIO(b"%PDF-1.4 backup me"), "акт.pdf"), "training", 1).storage_key
        db.session.commit()
    db.session.remove()
    owner = os.environ["DATABASE_OWNER_URL"]
    env = {**os.environ, "BACKUP_DIR": str(tmp_path / "backups"), "PORTAL_STORAGE": "local",
           "PORTAL_UPLOAD_ROOT": str(uploads), "FLASK": str(ROOT / ".venv" / "bin" / "flask")}
    first = Path(subprocess.run(["bash", "deploy/backup.sh"], cwd=ROOT, env=env, check=True, capture_output=True,
                                text=True).stdout.strip())
    sums = (first / "SHA256SUMS").read_text()
    assert {p.name for p in first.iterdir()} == {"db.dump", "files.tar.gz", "MANIFEST", "SHA256SUMS"}
    assert "schema_revision=" in (first / "MANIFEST").read_text()
    time.sleep(1.1)
    second = Path(subprocess.run(["bash", "deploy/backup.sh"], cwd=ROOT, env=env, check=True, capture_output=True,
                                 text=True).stdout.strip())
    assert second != first and (first / "SHA256SUMS").read_text() == sums   # a second set, the first untouched

    name = f"{urlsplit(owner).path.lstrip('/')}_restore"
    admin = create_engine(_with_db(owner.replace("postgresql://", "postgresql+psycopg://"), "postgres"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    restored_files = tmp_path / "restored-uploads"
    try:
        renv = {**env, "DATABASE_OWNER_URL": _with_db(owner, name),
                "DATABASE_URL": _with_db(os.environ["DATABASE_URL"], name), "PORTAL_UPLOAD_ROOT": str(restored_files)}
        subprocess.run(["bash", "deploy/restore.sh", str(first)], cwd=ROOT, env=renv, check=True, capture_output=True)
        again = subprocess.run(["bash", "deploy/restore.sh", str(first)], cwd=ROOT, env=renv, capture_output=True,
                               text=True)
        assert again.returncode != 0 and "not empty" in again.stderr   # never over a database in use
        engine = create_engine(_with_db(owner, name).replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM staff")).scalar() == 2
            assert conn.execute(text("SELECT storage_key FROM attachment")).scalar() == key
        engine.dispose()
        assert (restored_files / key).read_bytes() == b"%PDF-1.4 backup me"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
