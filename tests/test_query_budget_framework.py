"""What every request costs before the page does anything (issue 15 item 5), and the order DOCX built without
rescanning its table (linear in rows)."""
from __future__ import annotations

import pytest

from tests.budget_world import grow, make_budget_world
from tests.test_query_budget_pages import YEAR, count

pytestmark = pytest.mark.commits
FRAMEWORK_TABLES = ("FROM user_account", "FROM role_binding", "FROM institution", "FROM municipality")


def _framework(sent) -> list[str]:
    return [s for s in sent.sql if s.startswith("SELECT set_config") or any(t in s for t in FRAMEWORK_TABLES)]


def test_a_request_costs_the_user_with_bindings_the_tenant_and_the_scope_once_per_transaction(app, client, login):
    w = make_budget_world(YEAR)
    login(w.curator)
    sent = count(client, f"/i/{w.inst.slug}/staff/{w.staff_id}")
    framework = _framework(sent)
    # One statement for the user with the role bindings, one for the institution with its municipality, and on
    # PostgreSQL the signed scope once per transaction (the staff card commits its audit record: two).
    assert sum("FROM user_account" in s for s in framework) == 1, sent.report()
    assert not any(s.lstrip().startswith("SELECT role_binding") for s in sent.sql), sent.report()
    assert not any(s.lstrip().startswith("SELECT municipality") for s in sent.sql), sent.report()
    assert len(framework) <= 4, sent.report()
    assert sum(s.startswith("SELECT set_config") for s in framework) <= sum(
        s.startswith(("INSERT", "UPDATE", "DELETE")) for s in sent.sql) + 1, sent.report()


def test_order_docx_never_rescans_its_table_so_it_stays_linear_in_rows(app, client, login, monkeypatch):
    """python-docx's table.cell(r, c), table.rows[i].cells after a merge and cell.merge() walk the whole table
    each time: called per row they make the document quadratic. Count the walks: none, at any size."""
    import docx.oxml.table as oxml_table
    import docx.table as docx_table

    walks = {"cells": 0, "tr_idx": 0}
    cells, tr_idx = docx_table.Table._cells, oxml_table.CT_Row.tr_idx

    def counted_cells(self):
        walks["cells"] += 1
        return cells.fget(self)

    def counted_tr_idx(self):
        walks["tr_idx"] += 1
        return tr_idx.fget(self)

    monkeypatch.setattr(docx_table.Table, "_cells", property(counted_cells))
    monkeypatch.setattr(oxml_table.CT_Row, "tr_idx", property(counted_tr_idx))
    w = make_budget_world(YEAR)
    login(w.curator)
    url = f"/i/{w.inst.slug}/mentoring/orders/{w.order_id}/order.docx"
    small = count(client, url).count
    grow(w, 6, YEAR)
    walks.update(cells=0, tr_idx=0)
    assert count(client, url).count == small <= 10
    assert walks == {"cells": 0, "tr_idx": 0}
