"""Instants: the one place a time written in a stream, a policy or an option is read.

A time is RFC 3339 with a UTC offset or `Z` (`2018-05-31T23:54:00+01:00`), and its instant in
UTC falls in years 0001-9999: the calendar the ledger computes in (stream.md, validation
round 2). pydantic reads the instant itself; the form is checked first, because pydantic
also reads Unix times (`1527807600`), offsets without a colon (`+0100`) and `_` or a space
for `T`, none of which is RFC 3339.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import TypeAdapter

EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
EXAMPLE = "2018-05-31T23:54:00+01:00"

# RFC 3339 section 5.6: full-date "T" full-time; "T" and "Z" may be lower case (its note).
_FORM = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?P<zone>[Zz]|[+-]\d{2}:\d{2})?"
)
# A date and a time of day with no zone at all, however written: its offset is what is missing.
_ZONELESS = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?")
_SECONDS_PER_DAY = 86_400
_FIRST_SECOND = EARLIEST.toordinal() * _SECONDS_PER_DAY
_LAST_SECOND = LATEST.toordinal() * _SECONDS_PER_DAY + _SECONDS_PER_DAY - 1


class InstantError(ValueError):
    """A time that is not RFC 3339 with an offset, or whose instant is outside 0001-9999."""


def form_fits(text: str) -> bool:
    """True when `text` is written as an RFC 3339 time with an offset."""
    match = _FORM.fullmatch(text)
    return match is not None and match.group("zone") is not None


def form_problem(text: str, example: str = EXAMPLE) -> str | None:
    """Why `text` is not written as an RFC 3339 time with an offset; None when it is."""
    match = _FORM.fullmatch(text)
    if match is not None and match.group("zone") is not None:
        return None
    if match is not None or _ZONELESS.fullmatch(text):
        return f"has no UTC offset: write RFC 3339 with an offset, e.g. {example}"
    return f"{text!r} is not a time: write RFC 3339 with an offset, e.g. {example}"


def range_problem(moment: datetime) -> str | None:
    """Why the instant of `moment` is outside years 0001-9999 UTC; None when it is inside.

    Worked out in whole seconds: converting a time at the calendar's edge to UTC would itself
    overflow (`0001-01-01T00:30:00+01:00` is in year 0 in UTC).
    """
    offset = moment.utcoffset()
    shift = int(offset.total_seconds()) if offset is not None else 0
    local = moment.replace(tzinfo=None)
    second = (
        local.toordinal() * _SECONDS_PER_DAY
        + local.hour * 3600
        + local.minute * 60
        + local.second
        - shift
    )
    if _FIRST_SECOND <= second <= _LAST_SECOND:
        return None
    return (
        f"{moment.isoformat()} is outside years 0001-9999 once its UTC offset is applied: "
        "the ledger cannot compute with it"
    )


@cache
def _adapter() -> TypeAdapter[datetime]:
    # pydantic is imported here, not at the top: reading commands that never parse a time
    # (`ledger timeline REF`) start without it.
    from pydantic import AwareDatetime, TypeAdapter

    return TypeAdapter(AwareDatetime)


def parse_instant(text: str, example: str = EXAMPLE) -> datetime:
    """The instant `text` names; InstantError saying what is wrong with it otherwise."""
    text = text.strip()
    problem = form_problem(text, example)
    if problem is not None:
        raise InstantError(problem)
    from pydantic import ValidationError

    try:
        moment = _adapter().validate_python(text)
    except ValidationError as error:
        reason = error.errors()[0]["msg"].split(", ", 1)[-1]  # past "Input should be a …, "
        raise InstantError(f"{text!r} is not a time: {reason}") from None
    problem = range_problem(moment)
    if problem is not None:
        raise InstantError(problem)
    return moment


def later(moment: datetime, span: timedelta) -> datetime:
    """`moment + span`, or the calendar's last instant when that would run past it: a deadline
    beyond the last instant the ledger can hold has, in effect, never passed."""
    try:
        return moment + span
    except OverflowError:
        return LATEST


def earlier(moment: datetime, span: timedelta) -> datetime:
    """`moment - span`, or the calendar's first instant when that would run before it."""
    try:
        return moment - span
    except OverflowError:
        return EARLIEST


def read_instant(text: str) -> datetime:
    """A time as stored: RFC 3339, checked at import; only its letter case (`t`, `z`) may be
    what Python's own reader does not take, so this is that reader, fast."""
    return datetime.fromisoformat(text.upper())


def in_zone(moment: datetime, zone: tzinfo) -> datetime:
    """`moment` in `zone`, for people; at the calendar's very edges, where the zone's offset
    would take it past year 1 or 9999, it keeps the offset it was recorded with."""
    try:
        return moment.astimezone(zone)
    except OverflowError:
        return moment
