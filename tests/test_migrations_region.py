"""Migration 0024_regions on a database of its own (SQLite): the city's text region becomes a Region row and a
foreign key, and the regional institute's account bound to a city is rebound to that city's region."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ON_POSTGRES, TEST_OVERRIDES


@pytest.mark.skipif(ON_POSTGRES, reason="runs the migrations on an SQLite file of its own")
def test_the_old_text_region_becomes_a_region_and_regional_accounts_follow_it(tmp_path, monkeypatch):
    from portal.schema import upgrade

    from portal import create_app

    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    app = create_app({**TEST_OVERRIDES, "SQLALCHEMY_DATABASE_URI": url, "DATABASE_OWNER_URL": ""})
    with app.app_context():
        upgrade("0023_pairs_calendar")
        engine = create_engine(url)
        with engine.begin() as conn:
            for n, (slug, region) in enumerate((("a", "Ханты-Мансийский автономный округ — Югра"),
                                                ("b", " Ханты-Мансийский автономный округ — Югра "),
                                                ("c", "Тюменская область"), ("d", "")), start=1):
                conn.execute(text("INSERT INTO municipality (id, name, slug, region) VALUES (:i, :n, :s, :r)"),
                             {"i": n, "n": f"г. {slug.upper()}", "s": slug, "r": region})
            conn.execute(text("INSERT INTO user_account (id, email, full_name, password_hash, active, session_token) "
                              "VALUES (1, 'iro@test.ru', 'Тестова Ирина', 'x', 1, 't')"))
            conn.execute(text("INSERT INTO role_binding (user_id, role, municipality_id) VALUES (1, 'REGIONAL', 1), "
                              "(1, 'COORDINATOR', 1), (1, 'REGIONAL', 4)"))
        upgrade("heads")
        with engine.connect() as conn:
            regions = dict(conn.execute(text("SELECT slug, name FROM region ORDER BY slug")).all())
            cities = dict(conn.execute(text("SELECT m.slug, r.slug FROM municipality m LEFT JOIN region r "
                                            "ON r.id = m.region_id")).all())
            bindings = conn.execute(text("SELECT b.role, b.municipality_id, r.slug FROM role_binding b "
                                         "LEFT JOIN region r ON r.id = b.region_id ORDER BY b.id")).all()
        engine.dispose()
        from portal.extensions import db

        db.engine.dispose()
    assert regions == {"hmao": "Ханты-Мансийский автономный округ — Югра", "region": "Тюменская область"}
    assert cities == {"a": "hmao", "b": "hmao", "c": "region", "d": None}
    assert [tuple(b) for b in bindings] == [("REGIONAL", None, "hmao"), ("COORDINATOR", 1, None),
                                            ("REGIONAL", 4, None)]   # a city of no region: left for the admin
