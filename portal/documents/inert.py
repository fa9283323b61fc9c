"""Cells that a spreadsheet would run as a formula are written as text (OWASP «CSV injection»).

A value starting with = + - @, a tab or a carriage return gets a leading apostrophe in every CSV and XLSX the
portal writes and in the JSON registry, which is read back from that CSV. Names are checked on the way in too
(portal/staff/services.py), but a file must be inert whatever slipped into the database before.
"""
from __future__ import annotations

from collections.abc import Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def inert_row(row: Iterable) -> list:
    return [inert(v) for v in row]
