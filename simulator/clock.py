"""Simulated time: whole seconds since the epoch (UTC), shown in UK local time.

Arithmetic stays in UTC seconds so that "exactly 15 minutes later" is exact across a clock
change; only the written form and the hour of day (for the diurnal curve) are local. The UK
rule is computed here rather than read from a tz database, so output is the same everywhere.
"""

from __future__ import annotations

import calendar
import time
from datetime import datetime
from functools import lru_cache

MINUTE = 60
HOUR = 3600
DAY = 86400


@lru_cache(maxsize=64)
def _summer(year: int) -> tuple[int, int]:
    """British Summer Time: last Sunday of March to last Sunday of October, 01:00 UTC."""

    def last_sunday(month: int) -> int:
        last = calendar.monthrange(year, month)[1]
        weekday = calendar.weekday(year, month, last)  # Monday is 0
        return calendar.timegm((year, month, last - (weekday + 1) % 7, 1, 0, 0))

    return last_sunday(3), last_sunday(10)


def uk_offset(t: int) -> int:
    """Seconds the UK clock is ahead of UTC at instant `t`."""
    start, end = _summer(time.gmtime(t).tm_year)
    return HOUR if start <= t < end else 0


def rfc3339(t: int) -> str:
    """`2024-04-02T21:07:13+01:00`: the instant in UK local time with its offset."""
    offset = uk_offset(t)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t + offset)) + (
        "+01:00" if offset else "+00:00"
    )


def epoch(moment: datetime) -> int:
    """Whole seconds of an aware datetime; a naive one is refused (it names no instant)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("start must carry a UTC offset")
    return int(moment.timestamp())


def local_hour(t: int) -> int:
    return ((t + uk_offset(t)) // HOUR) % 24


def local_midnight(t: int) -> int:
    """The instant of the local midnight that begins `t`'s day."""
    offset = uk_offset(t)
    return t - (t + offset) % DAY


def local_date(t: int) -> str:
    """`240402`: the local date, as CAD references carry it."""
    return time.strftime("%y%m%d", time.gmtime(t + uk_offset(t)))


def floor_to(t: int, precision: str) -> int:
    """The instant as a source of that precision would write it (start of its hour/day/month)."""
    if precision == "hour":
        return t - t % HOUR  # UK offsets are whole hours
    if precision == "day":
        return local_midnight(t)
    if precision == "month":
        local = time.gmtime(t + uk_offset(t))
        first = calendar.timegm((local.tm_year, local.tm_mon, 1, 0, 0, 0))
        return first - uk_offset(first - HOUR)
    return t
