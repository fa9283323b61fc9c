"""What the portal's own documents tell the roadmap. A producer (the methodological association, orders, surveys,
the registry, partners, contests, incentives) announces here a document it made or a meeting it plans; the roadmap
attaches it to the tasks it answers (portal/roadmap/evidence.py, portal/roadmap/plan_dates.py).

The roadmap sits above the producers — its figures read them — so a producer imports this module, never the roadmap,
and the roadmap installs itself here when it is registered (portal.roadmap.views.register), as create_app installs
tenants' audit hook. Until then every call fails loudly: a document is never dropped without a word."""
from __future__ import annotations

from datetime import date
from typing import Any, Protocol


class Sink(Protocol):
    def record(self, institution_id: int, source: str, source_id: int, on: date, title: str, link: str = "",
               until: date | None = None) -> Any: ...

    def record_many(self, institution_ids, source: str, source_id: int, on: date, title: str) -> Any: ...

    def record_city(self, municipality_id: int, source: str, source_id: int, on: date, title: str, link: str = "",
                    until: date | None = None) -> Any: ...

    def plan_for_source(self, institution_id: int, source: str, source_id: int, on: date, title: str) -> int: ...

    def withdraw_source(self, source: str, source_id: int, keep_on: date | None = None) -> None: ...

    def plan_for_city_source(self, source: str, source_id: int, on: date, title: str) -> int: ...

    def withdraw_city_source(self, source: str, source_id: int, keep_on: date | None = None) -> None: ...


class _NoSink:
    def __getattr__(self, name: str):
        raise RuntimeError("the portal's documents go to the roadmap: portal.roadmap installs its sink at start")


_sink: list[Sink] = [_NoSink()]


def install(sink: Sink) -> None:
    _sink[0] = sink


def record(institution_id: int, source: str, source_id: int, on: date, title: str, link: str = "",
           until: date | None = None) -> Any:
    """A document of the institution (kinds: portal.roadmap.evidence.SOURCES), idempotent by kind and id."""
    return _sink[0].record(institution_id, source, source_id, on, title, link, until)


def record_many(institution_ids, source: str, source_id: int, on: date, title: str) -> Any:
    """One document answering many institutions' tasks (the city's registry of mentors)."""
    return _sink[0].record_many(institution_ids, source, source_id, on, title)


def record_city(municipality_id: int, source: str, source_id: int, on: date, title: str, link: str = "",
                until: date | None = None) -> Any:
    """A document of the education department (the city's protocol, the contest's order, the registry)."""
    return _sink[0].record_city(municipality_id, source, source_id, on, title, link, until)


def plan_for_source(institution_id: int, source: str, source_id: int, on: date, title: str) -> int:
    """A planned meeting of the institution: a date of the separate plan of every activity it answers."""
    return _sink[0].plan_for_source(institution_id, source, source_id, on, title)


def withdraw_source(source: str, source_id: int, keep_on: date | None = None) -> None:
    """A planned meeting was cancelled (or moved to `keep_on`): its old dates leave the plans."""
    _sink[0].withdraw_source(source, source_id, keep_on)


def plan_for_city_source(source: str, source_id: int, on: date, title: str) -> int:
    """A planned meeting of the city's ГМО: a date of the department's own plan."""
    return _sink[0].plan_for_city_source(source, source_id, on, title)


def withdraw_city_source(source: str, source_id: int, keep_on: date | None = None) -> None:
    _sink[0].withdraw_city_source(source, source_id, keep_on)
