"""Calendar events (RFC 5545) with the `icalendar` library: one meeting's .ics for its notice, and a person's feed.

Times are written as floating local time (no time zone): a municipal portal serves one region, and a meeting at
15:00 is at 15:00 on the wall clock of the people who attend, whatever the calendar's zone."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from portal import clock

PRODID = "-//Наставник//Встречи наставничества//RU"
ICS_MIME = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class Entry:
    uid: str                  # stable: the same meeting is the same event in every feed and notice
    summary: str
    day: date
    starts_at: str = ""       # «15:00»; empty: an all-day event
    minutes: int = 60
    place: str = ""
    link: str = ""
    description: str = ""
    cancelled: bool = False
    stamp: datetime | None = None


def _event(entry: Entry) -> Event:
    ev = Event()
    ev.add("uid", entry.uid)
    ev.add("dtstamp", entry.stamp or clock.now())
    ev.add("summary", entry.summary)
    if entry.starts_at:
        hour, minute = (int(x) for x in entry.starts_at.split(":"))
        start = datetime(entry.day.year, entry.day.month, entry.day.day, hour, minute)
        ev.add("dtstart", start)
        ev.add("dtend", start + timedelta(minutes=max(entry.minutes, 5)))
    else:
        ev.add("dtstart", entry.day)
        ev.add("dtend", entry.day + timedelta(days=1))
    if entry.place:
        ev.add("location", entry.place)
    if entry.link:
        ev.add("url", entry.link)
    if entry.description:
        ev.add("description", entry.description)
    ev.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    return ev


def calendar_bytes(entries: list[Entry], name: str = "", method: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)   # REQUEST in a meeting's notice
    if name:
        cal.add("x-wr-calname", name)
    for entry in entries:
        cal.add_component(_event(entry))
    return cal.to_ical()
