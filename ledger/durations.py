"""ISO 8601 durations as used by the stream (grading targets) and the policy file."""

from __future__ import annotations

import re
from datetime import timedelta

# Years and months have no fixed length, so a response target cannot be one of them.
_DURATION = re.compile(
    r"^P(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


def parse_duration(text: str) -> timedelta:
    """Parse `PT15M`, `P180D`, `PT24H`, `P1DT2H30M`, `P2W`; raise ValueError otherwise."""
    match = _DURATION.match(text.strip().upper()) if isinstance(text, str) else None
    if match is None or text.strip().upper() in ("P", "PT") or text.upper().endswith("T"):
        raise ValueError(
            f"{text!r} is not an ISO 8601 duration such as PT15M, PT24H or P180D "
            "(years and months are not allowed: they have no fixed length)"
        )
    parts = {name: float(value) for name, value in match.groupdict().items() if value}
    return timedelta(**parts)


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
