"""The one clock. In the code an instant is an aware datetime in UTC (`now()`); in the database it is kept as the
migrations declare it, a `timestamp without time zone` holding UTC. `UTCDateTime` is that column type: it writes
an aware value as naive UTC and reads a stored value back as aware UTC, so a loaded instant compares with `now()`
on SQLite and on PostgreSQL alike. A naive value written (a server default, an old row) is taken as UTC."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.types import DateTime, TypeDecorator


def now() -> datetime:
    """This instant, aware, in UTC."""
    return datetime.now(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """A stored naive UTC instant as an aware one (an aware one is returned as it is)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class UTCDateTime(TypeDecorator):
    """`DateTime` (no time zone in the schema) that binds and returns aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return aware(value)
