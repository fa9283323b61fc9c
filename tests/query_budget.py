"""Counting the SQL statements a piece of work sends (a count, not a time: stable on any machine).

    with statements() as sent:
        client.get(url)
    assert sent.count <= 12, sent.report()

Budgets are checked at two sizes of data, so a lazy load that comes back (one query per row) fails the test.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event


@dataclass
class Sent:
    sql: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.sql)

    def report(self) -> str:
        return f"{self.count} statements:\n" + "\n".join(f"  {s.split(chr(10))[0][:160]}" for s in self.sql)


# The tests' nested transactions (a savepoint per request on the test's one connection) are not the app's work.
_HARNESS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@contextmanager
def statements():
    """Every statement sent on any engine while the block runs (the app's sessions and Core connections alike),
    with the RLS scope writes of tenants.rls (a round trip each, on PostgreSQL) and without the savepoints of
    the tests' own nested transactions."""
    from sqlalchemy.engine import Engine

    from tenants import rls

    sent = Sent()
    writes = [rls.scope_writes]

    def count(conn, cursor, statement, parameters, context, executemany):
        if rls.scope_writes != writes[0]:  # tenants.rls wrote the scope on its own cursor just before this one
            sent.sql += ["SELECT set_config('app.scope', …)  -- tenants.rls"] * (rls.scope_writes - writes[0])
            writes[0] = rls.scope_writes
        if not statement.startswith(_HARNESS):
            sent.sql.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", count)
