"""The demo loads every feature's data, and loading it again adds nothing."""
from __future__ import annotations

from portal.extensions import db
from portal.mentoring.models import MentoringGroup, Program
from portal.public.models import NewsItem
from portal.roadmap.models import Roadmap, Snapshot
from tenants.context import platform_scope


def _counts():
    with platform_scope("check"):
        return {m.__name__: db.session.query(m).count() for m in (MentoringGroup, Program, Roadmap, Snapshot, NewsItem)}


def test_demo_loads_everything_once(app, monkeypatch):
    monkeypatch.setenv("PORTAL_DEMO_PASSWORD", "demo-test-password")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    counts = _counts()
    assert all(counts.values()), counts
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "уже были созданы" in second.output
    assert _counts() == counts
