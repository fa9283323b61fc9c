"""Migration 0028_group_numbers on a database of its own (SQLite): the pairs already there are numbered within
their institution and academic year in the order they started."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ON_POSTGRES, TEST_OVERRIDES


@pytest.mark.skipif(ON_POSTGRES, reason="runs the migrations on an SQLite file of its own")
def test_existing_pairs_are_numbered_per_institution_and_year_in_the_order_they_started(tmp_path):
    from portal.schema import upgrade

    from portal import create_app

    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    app = create_app({**TEST_OVERRIDES, "SQLALCHEMY_DATABASE_URI": url, "DATABASE_OWNER_URL": ""})
    with app.app_context():
        upgrade("0027_incentives")
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO municipality (id, name, slug) VALUES (1, 'г. Тестовск', 't')"))
            for i in (1, 2):
                conn.execute(text("INSERT INTO institution (id, municipality_id, slug, kind, short_name, full_name, address, site_url) "
                                  "VALUES (:i, 1, :s, 'DOU', :n, :n, '', '')"), {"i": i, "s": f"i{i}", "n": f"МАДОУ № {i}"})
            rows = [(10, 1, "2024-09-05", "2024-2025"), (11, 2, "2024-09-01", "2024-2025"),
                    (12, 1, "2024-09-01", "2024-2025"), (13, 1, "2025-09-01", "2025-2026"),
                    (14, 1, "2024-09-05", "2024-2025")]
            for gid, inst, start, year in rows:
                conn.execute(text("INSERT INTO mentoring_group (id, institution_id, format, start_date, state, "
                                  "academic_year) VALUES (:g, :i, 'IN_PERSON', :s, 'ACTIVE', :y)"),
                             {"g": gid, "i": inst, "s": start, "y": year})
        upgrade("heads")
        with engine.connect() as conn:
            numbers = dict(conn.execute(text("SELECT id, number FROM mentoring_group")).all())
        engine.dispose()
        from portal.extensions import db

        db.engine.dispose()
    assert numbers == {12: 1, 10: 2, 14: 3, 11: 1, 13: 1}
