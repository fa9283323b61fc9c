"""One storage for uploads and generated files: two web processes with folders of their own serve each other's
uploads from the shared store; a full disk is a Russian message and leaves nothing behind; erasure removes from the
store; the sweeper takes what no row refers to, and only that."""
from __future__ import annotations

import errno
import http.cookiejar
import io
import os
import re
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest

from portal.extensions import db
from portal.storage.models import StoredObject
from portal.storage.store import LocalStore
from portal.uploads.models import Attachment
from tenants.access import Role
from tenants.context import institution_scope, platform_scope
from tests.factories import make_institution, make_staff, make_user
from tests.faults import free_port, stop, wait_until

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n% a certificate\n" + os.urandom(3000)


def _node(tmp: Path, name: str, secret: str) -> tuple[subprocess.Popen, str]:
    """A web process (gunicorn with the deploy config) with an upload folder of its own."""
    port = free_port()
    env = {**os.environ, "PORTAL_STORAGE": "database", "PORTAL_UPLOAD_ROOT": str(tmp / name), "SECRET_KEY": secret,
           "PORTAL_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1", "PORTAL_INSTANCE": str(tmp / f"{name}-instance"),
           "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024"}
    log = (tmp / f"{name}.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"], cwd=ROOT,
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def answers():
        try:
            return urllib.request.urlopen(base + "/login", timeout=2).status == 200
        except OSError:
            return False

    wait_until(answers, 60, 0.3, f"web node {name}")
    return proc, base


class Browser:
    """A logged-in visitor of one node: the session cookie is signed with the nodes' shared SECRET_KEY."""

    def __init__(self, app, base: str, user):
        self.base, self.jar = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        now = time.time()
        value = app.session_interface.get_signing_serializer(app).dumps(
            {"_user_id": user.get_id(), "_fresh": True, "seen": now, "login_at": now})
        self.jar.set_cookie(http.cookiejar.Cookie(0, app.config["SESSION_COOKIE_NAME"], value, None, False, "127.0.0.1",
                                                  True, False, "/", True, False, None, False, None, None, {}))

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            r = self.opener.open(self.base + path, timeout=15)
            return r.status, r.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def upload(self, path: str, fields: dict, file_field: str, filename: str, data: bytes) -> int:
        _, page = self.get(path)
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
        boundary = uuid.uuid4().hex
        body = io.BytesIO()
        for k, v in {**fields, "csrf_token": token}.items():
            body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
                   f'Content-Type: application/pdf\r\n\r\n'.encode() + data + f"\r\n--{boundary}--\r\n".encode())
        request = urllib.request.Request(self.base + path + "/training", data=body.getvalue(), method="POST",
                                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                                                  "Referer": self.base + path})
        try:
            return self.opener.open(request, timeout=15).status
        except urllib.error.HTTPError as exc:
            return exc.code


@pytest.mark.commits
def test_two_web_processes_with_separate_folders_serve_each_others_uploads(app, tmp_path):
    inst = make_institution()
    staff = make_staff(inst)
    curator = make_user((Role.CURATOR, inst))
    secret = app.config["SECRET_KEY"]   # the nodes share it: sessions, and the key of the RLS scope (tenants/rls.py)
    nodes = [_node(tmp_path, name, secret) for name in ("web-a", "web-b")]
    try:
        (_, a), (_, b) = nodes
        page = f"/i/{inst.slug}/staff/{staff.id}/development"
        fields = {"kind": "course", "title": "Школа наставника", "hours": "36", "start_date": "01.02.2024",
                  "end_date": "10.02.2024", "mentoring_related": "1"}
        assert Browser(app, a, curator).upload(page, fields, "certificate", "удостоверение-a.pdf", PDF) in (200, 302)
        assert Browser(app, b, curator).upload(page, {**fields, "title": "Вторая школа"}, "certificate",
                                               "удостоверение-b.pdf", PDF[::-1][:2000] + b"") in (200, 302, 422)
        from portal.staff.models import Training

        with platform_scope("check"):
            trainings = {t.title: t.id for t in db.session.query(Training)}
        db.session.remove()
        got_on_b = Browser(app, b, curator).get(f"{page}/training/{trainings['Школа наставника']}/certificate")
        assert got_on_b == (200, PDF)   # stored through node A, served by node B
        assert [p for name in ("web-a", "web-b") for p in (tmp_path / name).rglob("*") if p.is_file()] == []
    finally:
        for proc, _ in nodes:
            stop(proc)


def test_the_same_upload_through_local_folders_is_missing_on_the_other_node(app, tmp_path):
    """What the shared store fixes: with folders of their own, node B does not have node A's file."""
    a, b = LocalStore(tmp_path / "a"), LocalStore(tmp_path / "b")
    a.put("1/x", [PDF])
    assert b"".join(a.read("1/x")) == PDF and not b.exists("1/x")


def test_disk_full_during_an_upload_is_a_russian_message_and_leaves_nothing(app, client, login, monkeypatch, tmp_path):
    from portal.staff.models import Training

    inst = make_institution()
    staff = make_staff(inst)
    login(make_user((Role.CURATOR, inst)))
    app.config.update(STORAGE="local", UPLOAD_ROOT=str(tmp_path / "uploads"))
    real_open = Path.open

    def full(self, mode="r", *args, **kwargs):
        handle = real_open(self, mode, *args, **kwargs)
        if "w" in mode and self.name.endswith(".part"):
            def write(data):
                raise OSError(errno.ENOSPC, "No space left on device")
            handle.write = write
        return handle

    monkeypatch.setattr(Path, "open", full)
    r = client.post(f"/i/{inst.slug}/staff/{staff.id}/development/training", content_type="multipart/form-data",
                    data={"kind": "course", "title": "Школа наставника", "hours": "36", "start_date": "01.02.2024",
                          "end_date": "10.02.2024", "certificate": (io.BytesIO(PDF), "удостоверение.pdf")})
    text = r.get_data(as_text=True)
    assert r.status_code == 507 and "закончилось место" in text
    assert [p for p in (tmp_path / "uploads").rglob("*") if p.is_file()] == []   # no partial file left behind
    with platform_scope("check"):
        assert db.session.query(Attachment).count() == 0 and db.session.query(Training).count() == 0


def _attachment(inst, data: bytes = PDF):
    from werkzeug.datastructures import FileStorage

    from portal.uploads.services import save_upload

    with institution_scope(inst.id):
        row = save_upload(FileStorage(io.BytesIO(data), "акт.pdf"), "training", 1)
        db.session.commit()
        return row.storage_key


def test_erasure_removes_the_person_s_files_from_the_shared_store(app):
    from werkzeug.datastructures import FileStorage

    from portal.consent.models import ConsentKind, ConsentRecord
    from portal.consent.personal_data import erase
    from portal.staff.models import Staff
    from portal.uploads.services import save_upload

    app.config["STORAGE"] = "database"
    inst = make_institution()
    staff = make_staff(inst)
    head = make_user((Role.HEAD, inst))
    with institution_scope(inst.id):
        scan = save_upload(FileStorage(io.BytesIO(PDF), "согласие.pdf"), "consent", staff.id)
        db.session.add(ConsentRecord(staff_id=staff.id, kind=ConsentKind.PROCESSING, purpose="Реестр наставников",
                                     given_on=date(2024, 9, 1), attachment_id=scan.id))
        db.session.commit()
        key = scan.storage_key
    with platform_scope("check"):
        assert db.session.get(StoredObject, key) is not None
    with institution_scope(inst.id):
        erase(db.session.get(Staff, staff.id), "заявление субъекта от 01.12.2026", head, inst)
    with platform_scope("check"):
        db.session.expire_all()
        assert db.session.get(StoredObject, key) is None and db.session.query(Attachment).count() == 0


def test_the_sweeper_removes_files_no_row_refers_to_and_nothing_else(app):
    from portal.storage.store import store
    from tasks.storage import sweep_leftovers as sweep

    app.config["STORAGE"] = "database"
    inst = make_institution()
    kept = _attachment(inst)
    with platform_scope("test"):
        store().put("9/orphan-of-a-failed-commit", [b"left behind"])
        db.session.query(StoredObject).update({"created_at": datetime(2020, 1, 1)})   # both older than a day
        db.session.commit()
        assert sweep() == 1
        assert [o.key for o in db.session.query(StoredObject)] == [kept]
