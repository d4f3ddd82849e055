"""Reading one cell: CAD times in their many written forms, and WKT points.

A time format is a strptime format, or one of the named forms CAD systems also use:
`@epoch` (seconds since 1970-01-01 UTC), `@epoch-ms` (milliseconds) and `@iso8601`
(`2019-10-18T00:03:52-07:00`, `Z`, a space for the `T`, fractions, or no offset). A strptime
format without a year reads a time of day, which the row dates (see `on_or_after`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta, tzinfo
from functools import partial
from zoneinfo import ZoneInfo

from ledger.inputs.csv.fasttime import compile_format, quick_read

EPOCH, EPOCH_MS, ISO8601 = "@epoch", "@epoch-ms", "@iso8601"
NAMED_FORMATS = (EPOCH, EPOCH_MS, ISO8601)

# A date and time whose every field differs, so a format that drops or confuses one (a 12-hour
# clock without AM/PM, a month read as minutes) does not give it back.
_PROBE = datetime(2001, 2, 3, 16, 5, 6)
_DATE_PARTS = ("%d", "%m", "%b", "%B", "%j", "%a", "%A", "%U", "%W")
_ISO_SECONDS = re.compile(r"[T ]\d{2}(:?)\d{2}\1\d{2}")
_ISO_TIME = re.compile(r"\d[T ]\d{2}")

_POINT = re.compile(
    r"^\s*POINT\s*\(\s*(?P<lon>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"\s+(?P<lat>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*\)\s*$",
    re.IGNORECASE,
)
_EMPTY_POINT = re.compile(r"^\s*POINT\s+EMPTY\s*$", re.IGNORECASE)

Reading = tuple[datetime | time, str]  # (aware time, or a time of day to date), precision


def has_year(fmt: str) -> bool:
    return "%Y" in fmt or "%y" in fmt


def format_problem(fmt: str) -> str | None:
    """Why `fmt` cannot read CAD times, or None when it can."""
    if fmt in NAMED_FORMATS:
        return None
    if fmt.startswith("@"):
        return f"{fmt!r} is not a named format ({', '.join(NAMED_FORMATS)})"
    if ("%H" not in fmt and "%I" not in fmt) or "%M" not in fmt:
        return f"{fmt!r} has no hour (%H or %I) and minute (%M): stage times need both"
    if "%I" in fmt and "%p" not in fmt:
        return f"{fmt!r} has a 12-hour clock (%I) without AM/PM (%p)"
    if not has_year(fmt) and any(part in fmt for part in _DATE_PARTS):
        return f"{fmt!r} has a date without a year (%Y or %y)"
    probe = _PROBE.replace(tzinfo=ZoneInfo("UTC")) if "%z" in fmt else _PROBE
    if "%S" not in fmt:
        probe = probe.replace(second=0)
    try:
        back = datetime.strptime(probe.strftime(fmt), fmt)
    except ValueError as error:
        return f"{fmt!r} is not a strptime format: {error}"
    if not has_year(fmt):  # a time of day: only the clock must come back
        back = back.replace(year=probe.year, month=probe.month, day=probe.day)
    if back != probe:
        return f"{fmt!r} does not read back what it writes ({probe} came back as {back})"
    return None


def instant(moment: datetime) -> datetime:
    """`moment` in UTC, to compare as instants: Python compares two aware times that share a
    tzinfo by their wall clocks, so 02:30-08:00 (the hour skipped in spring, read with the
    offset before the change) would pass for earlier than 03:01-07:00, which it is not."""
    return moment.astimezone(UTC)


def on_or_after(clock: time, anchor: datetime, zone: tzinfo | None) -> datetime:
    """A time of day dated from `anchor`: on its local day, or the next when that is earlier
    (ValueError when that day is past the calendar's end).

    CAD exports that give a date only with the first time (RECEIVED_DATE, then DISPATCH_TIME,
    CLEAR_TIME) mean the day of the time before, or the next one after midnight.
    """
    local_zone = clock.tzinfo or zone or anchor.tzinfo
    wall = clock.replace(tzinfo=None)
    try:
        local = anchor.astimezone(local_zone)
        day = local.date()
        if wall < local.time():  # earlier on the clock than the time before it: after midnight
            day += timedelta(days=1)
        moment = datetime.combine(day, wall, tzinfo=local_zone)
    except OverflowError:
        raise ValueError(f"{clock} after {anchor} falls outside the years 1-9999") from None
    return moment


class TimeReader:
    """Parses a cell with the first format that fits; offset-less times are local to `zone`.

    A wall-clock time that occurs twice (the hour repeated when clocks go back) is read as its
    first occurrence (fold=0); one that does not occur (skipped when clocks go forward) is read
    with the offset in force before the change, as zoneinfo does for fold=0.
    """

    def __init__(self, formats: tuple[str, ...], zone: ZoneInfo | None) -> None:
        self.formats = formats
        self.zone = zone
        self._parsers = [self._parser(fmt) for fmt in formats]
        # Per-unit rows repeat the call's times, so a small memo saves most parsing.
        self._memo: dict[str, Reading] = {}

    def read(self, text: str) -> Reading:
        """(aware time or time of day, precision "second" or "minute"); ValueError says why not."""
        found = self._memo.get(text)
        if found is not None:
            return found
        cell = text.strip()
        for parse in self._parsers:
            found = parse(cell)
            if found is not None:
                if len(self._memo) >= 4096:
                    self._memo.clear()
                self._memo[text] = found
                return found
        shown = " or ".join(self.formats)
        raise ValueError(f"{text!r} is not a time in the form {shown}")

    def _parser(self, fmt: str) -> Callable[[str], Reading | None]:
        if fmt == ISO8601:
            return self._iso
        if fmt in (EPOCH, EPOCH_MS):
            return partial(self._epoch, fmt, 1000.0 if fmt == EPOCH_MS else 1.0)
        quick = compile_format(fmt)
        precision = "second" if "%S" in fmt else "minute"
        dated = has_year(fmt)
        zone = self.zone if dated else None  # the quick reader never reads an offset (%z)

        def parse(cell: str) -> Reading | None:
            value = quick_read(quick, cell, zone) if quick is not None else None
            if value is None:
                try:
                    value = datetime.strptime(cell, fmt)
                except ValueError:
                    return None
            if not dated:
                return value.timetz(), precision
            return self._aware(value), precision

        return parse

    def _aware(self, value: datetime) -> datetime:
        if value.tzinfo is not None:
            return value
        if self.zone is None:
            raise ValueError(f"'{value}' has no UTC offset and the mapping no timezone")
        return value.replace(tzinfo=self.zone, fold=0)

    def _iso(self, cell: str) -> Reading | None:
        if not _ISO_TIME.search(cell):
            return None  # a date alone: no time of day
        try:
            value = datetime.fromisoformat(cell)
        except ValueError:
            return None
        return self._aware(value), "second" if _ISO_SECONDS.search(cell) else "minute"

    def _epoch(self, fmt: str, per_second: float, cell: str) -> Reading | None:
        try:
            seconds = float(cell) / per_second
        except ValueError:
            return None
        if not math.isfinite(seconds):
            return None
        try:
            value = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"{cell!r} is out of range as {fmt}") from None
        return (value.astimezone(self.zone) if self.zone else value), "second"


def read_point(text: str) -> tuple[float, float] | None:
    """(lat, lon) from WKT `POINT (lon lat)`; None for `POINT EMPTY`; ValueError otherwise."""
    if _EMPTY_POINT.match(text):
        return None
    match = _POINT.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a point in the form POINT (lon lat)")
    lat, lon = float(match["lat"]), float(match["lon"])
    return read_lat_lon(lat, lon, text)


def read_lat_lon(lat: float, lon: float, text: str) -> tuple[float, float]:
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise ValueError(f"{text!r} is off the globe (lat {lat}, lon {lon})")
    return lat, lon


def read_number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
