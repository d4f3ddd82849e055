"""Times as people give them and read them: one zone per output.

Options take an RFC 3339 time with an offset (read by `cli.options.INSTANT`, as stream times
are), and also what people type: a date alone (`2009-08-05`, the start of that day) or a date
and time without an offset (`2009-08-05T02:40` or `2009-08-05 02:40`). Those are read in the
display zone, which is known only once the ledger is open, so they stay `Unzoned` until
`resolve` places them and says how it read them.

Every time shown to people is in the display zone, with its offset (which changes only where
the clocks change), and marked `≈` when the source gives it coarser than a minute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from cli.options import INSTANT
from ledger.instants import in_zone, read_instant

# A date, or a date and a time of day (minutes at least), with no offset or Z.
_UNZONED = re.compile(r"\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
# Precisions under an hour shown as "±": how far the time may be out either way.
_PLUS_MINUS = {"5min": "±5 min", "15min": "±15 min"}
_COARSE = frozenset({"5min", "15min", "hour", "day", "month"})


@dataclass(frozen=True)
class Unzoned:
    """A time given without an offset: read in the display zone once that is known."""

    text: str
    wall: datetime  # naive
    date_only: bool


TimeGiven = datetime | Unzoned


class Zone(click.ParamType[ZoneInfo]):
    """An IANA time zone name: `Europe/London`, `America/New_York`, `UTC`."""

    name = "ZONE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, ZoneInfo):
            return value
        try:
            return zone_named(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def zone_named(name: str) -> ZoneInfo:
    """The zone called `name`; ValueError naming the closest real ones otherwise."""
    try:
        if name and not name.startswith(("/", ".")):
            return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    import difflib
    from zoneinfo import available_timezones  # reads the whole database: only on a mistake

    close = difflib.get_close_matches(name, sorted(available_timezones()), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ValueError(
        f"{name!r} is not an IANA time zone (e.g. Europe/London, America/New_York, UTC){hint}"
    )


class LocalInstant(click.ParamType[TimeGiven]):
    """A time with an offset, or a date or date and time read in the display zone."""

    name = "TIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime | Unzoned):
            return value
        text = str(value).strip()
        if _UNZONED.fullmatch(text):
            try:
                wall = datetime.fromisoformat(text.replace("t", "T"))
            except ValueError as error:
                self.fail(f"{text!r} is not a date: {error}", param, ctx)
            return Unzoned(text, wall, date_only=len(text) == len("2009-08-05"))
        return INSTANT.convert(text, param, ctx)


LOCAL_INSTANT = LocalInstant()


def resolve(given: TimeGiven, zone: tzinfo, zone_name: str) -> tuple[datetime, str | None]:
    """The instant `given` names, and how it was read when the reading needed the zone."""
    if isinstance(given, datetime):
        return given, None
    moment = given.wall.replace(tzinfo=zone)
    exact = moment.astimezone(UTC).astimezone(zone)
    how = f"the start of that day in {zone_name}" if given.date_only else zone_name
    if exact.replace(tzinfo=None) != given.wall:  # the hour skipped when the clocks go forward
        how += ", a time the clocks skipped: read with the offset before the change"
    elif moment.utcoffset() != moment.replace(fold=1).utcoffset():  # the hour that repeats
        how += ", a time that happened twice as the clocks went back: read as the first"
    return moment, f"{given.text} read as {moment.isoformat()} ({how})"


def instant_text(moment: datetime, zone: tzinfo) -> str:
    """`2018-06-01 00:15:00 +01:00`: the instant in the display zone, offset shown."""
    local = in_zone(moment, zone).replace(microsecond=0)
    iso = local.isoformat(sep=" ")
    return f"{iso[:19]} {iso[19:]}"


def shown(at: str | datetime, zone: tzinfo, precision: str | None, uncertainty: str | None) -> str:
    """A stream time for people: in the zone, `≈` when coarser than a minute, and how far out
    it may be when the source says (`≈ 2018-06-01 02:30:00 +01:00 ±15 min`)."""
    moment = read_instant(at) if isinstance(at, str) else at
    text = instant_text(moment, zone)
    spread = _spread(uncertainty)
    if precision in _COARSE or (spread is not None and spread[0] > timedelta(minutes=1)):
        text = f"≈ {text}"
    if spread is not None:
        text += f" ±{spread[1]}"
    elif precision in _PLUS_MINUS:
        text += f" {_PLUS_MINUS[precision]}"
    return text


def _spread(uncertainty: str | None) -> tuple[timedelta, str] | None:
    if uncertainty is None:
        return None
    from ledger.durations import describe, parse_duration

    try:
        delta = parse_duration(uncertainty)
    except ValueError:  # validated on import: a stored event always parses
        return None
    return delta, describe(delta)


def minute_text(moment: datetime, zone: tzinfo) -> str:
    """`2018-06-01 00:15 +01:00`: to the minute, for stretches and deadlines."""
    return instant_text(moment, zone)[:16] + instant_text(moment, zone)[19:]
