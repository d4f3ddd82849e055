"""ISO 8601 durations: the one place they are read (grading targets, the policy file).

Weeks, days, hours, minutes and seconds, each a whole or decimal number: `PT15M`, `P180D`,
`P1DT2H30M`, `P2W`. Years and months have no fixed length, so no target can be one of them.
A duration longer than the whole calendar the ledger computes in (years 0001-9999) is refused:
added to any time at all it would leave that calendar (stream.md, validation round 2). The
arithmetic is exact (decimal), so no spelling of a number can overflow on the way.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from ledger.instants import EARLIEST, LATEST

LONGEST = LATEST - EARLIEST  # about 9999 years: any longer leaves the calendar from anywhere

_DURATION = re.compile(
    r"P(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?"
)
_SECONDS = {"weeks": 604_800, "days": 86_400, "hours": 3_600, "minutes": 60, "seconds": 1}
_LONGEST_US = (LONGEST.days * 86_400 + LONGEST.seconds) * 1_000_000 + LONGEST.microseconds


class DurationError(ValueError):
    """Not an ISO 8601 duration the ledger takes; `str()` says why, quoting the text."""


def parse_duration(text: str) -> timedelta:
    """Parse `PT15M`, `P180D`, `PT24H`, `P1DT2H30M`, `P2W`; DurationError otherwise."""
    spelled = text.strip().upper() if isinstance(text, str) else ""
    match = _DURATION.fullmatch(spelled)
    if match is None or spelled in ("P", "PT") or spelled.endswith("T"):
        raise DurationError(
            f"{text!r} is not an ISO 8601 duration such as PT15M, PT24H or P180D "
            "(years and months are not allowed: they have no fixed length)"
        )
    seconds = sum(
        (Decimal(value) * _SECONDS[name] for name, value in match.groupdict().items() if value),
        Decimal(0),
    )
    micros = int((seconds * 1_000_000).to_integral_value(ROUND_HALF_EVEN))
    if micros > _LONGEST_US:
        raise DurationError(
            f"{text!r} is longer than the 9999 years of the calendar the ledger computes in "
            f"(at most P{LONGEST.days}D)"
        )
    return timedelta(microseconds=micros)


def describe(delta: timedelta) -> str:
    """`3 h 11 min`, `45 s`, `2 d 4 h`: a duration in words for people."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} d")
    if hours:
        parts.append(f"{hours} h")
    if minutes:
        parts.append(f"{minutes} min")
    if secs and not days:
        parts.append(f"{secs} s")
    return sign + (" ".join(parts) if parts else "0 s")
