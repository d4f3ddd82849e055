"""Times as the reports print them: local to the policy's zone, with ≈ for coarse ones."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ledger.durations import describe
from ledger.instants import in_zone


def local(moment: datetime, zone: str) -> datetime:
    return in_zone(moment, ZoneInfo(zone))


def local_text(moment: datetime, zone: str, *, approximate: bool = False) -> str:
    """`2018-05-31 23:54 BST`; seconds only when there are some; `≈` before a coarse time."""
    there = local(moment, zone)
    shape = "%Y-%m-%d %H:%M:%S %Z" if there.second else "%Y-%m-%d %H:%M %Z"
    return ("≈ " if approximate else "") + there.strftime(shape)


def spreadsheet_text(moment: datetime, zone: str) -> str:
    """`2018-05-31 23:54:00`: what a spreadsheet reads as a date and time."""
    return local(moment, zone).strftime("%Y-%m-%d %H:%M:%S")


def clock_text(moment: datetime, zone: str) -> str:
    """`23:54` for the axis and the findings list."""
    return local(moment, zone).strftime("%H:%M")


def span_text(start: datetime, end: datetime | None, zone: str) -> str:
    """`2018-06-01 00:54 BST → 03:00 BST (2 h 6 min)`, or `… → still open`."""
    first = local_text(start, zone)
    if end is None:
        return f"{first} → still open at the clock"
    if end == start:
        return f"{first} (a point)"
    same_day = local(start, zone).date() == local(end, zone).date()
    last = local(end, zone).strftime("%H:%M %Z") if same_day else local_text(end, zone)
    return f"{first} → {last} ({describe(end - start)})"
