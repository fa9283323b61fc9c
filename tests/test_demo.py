"""The demo loads every feature's data, and loading it again adds nothing."""
from __future__ import annotations

from portal.extensions import db
from portal.mentoring.models import MentoringGroup
from portal.programs.models import Program
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


def test_the_demo_has_a_jury_of_three_and_a_contest_in_each_state(app, monkeypatch):
    from portal.contests.models import Contest, ContestState, Juror, Result

    monkeypatch.setenv("PORTAL_DEMO_PASSWORD", "demo-test-password")
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with platform_scope("check"):
        contests = db.session.execute(db.select(Contest)).scalars().all()
        assert {c.state for c in contests} == set(ContestState)
        for c in contests:
            assert sorted(j.role for j in c.jurors) == ["chair", "member", "secretary"]
        published = next(c for c in contests if c.state is ContestState.PUBLISHED)
        assert db.session.query(Result).filter(Result.contest_id == published.id).count() >= 3
        assert db.session.query(Juror).count() == 3 * len(contests)
