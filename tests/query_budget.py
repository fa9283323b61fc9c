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


@contextmanager
def statements():
    """Every statement sent on any engine while the block runs (the app's sessions and Core connections alike)."""
    from sqlalchemy.engine import Engine

    sent = Sent()

    def count(conn, cursor, statement, parameters, context, executemany):
        sent.sql.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", count)
