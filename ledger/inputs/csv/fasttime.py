"""A quicker strptime for the plain numeric formats CAD exports use (%m/%d/%Y %I:%M:%S %p).

strptime costs most of an import's time. A format made only of the directives below, each
followed by a literal, is compiled to one regex; whatever it does not read, or reads to an
impossible date, is handed to strptime, so it never accepts what strptime would refuse.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

_FIELDS = {
    "Y": r"(?P<Y>[0-9]{4})",
    "y": r"(?P<y>[0-9]{2})",
    "m": r"(?P<m>[0-9]{1,2})",
    "d": r"(?P<d>[0-9]{1,2})",
    "H": r"(?P<H>[0-9]{1,2})",
    "I": r"(?P<I>[0-9]{1,2})",
    "M": r"(?P<M>[0-9]{1,2})",
    "S": r"(?P<S>[0-9]{1,2})",
    "f": r"(?P<f>[0-9]{1,6})",
    "p": r"(?P<p>[AP]M)",
}


def compile_format(fmt: str) -> re.Pattern[str] | None:
    """The regex for `fmt`, or None when strptime must read it (other directives, a directive
    straight after another, whose split strptime might make differently, or a partial date).
    A format with no date at all reads a time of day (on 1 January 1900, as strptime does)."""
    parts: list[str] = []
    seen: set[str] = set()
    after_field = False
    position = 0
    while position < len(fmt):
        char = fmt[position]
        if char == "%":
            directive = fmt[position + 1 : position + 2]
            position += 2
            if directive == "%":
                parts.append("%")
                after_field = False
                continue
            if directive not in _FIELDS or directive in seen or after_field:
                return None
            seen.add(directive)
            parts.append(_FIELDS[directive])
            after_field = True
        elif char.isspace():
            while position < len(fmt) and fmt[position].isspace():
                position += 1
            parts.append(r"\s+")  # as strptime reads whitespace in a format
            after_field = False
        else:
            parts.append(re.escape(char))
            position += 1
            after_field = False
    has_date = bool(seen & {"Y", "y"}) and {"m", "d"} <= seen
    if not has_date and seen & {"Y", "y", "m", "d"}:
        return None
    # Every field gets a group, empty when the format lacks it, so one unpacking reads them all.
    parts += [f"(?P<{name}>)" for name in _FIELDS if name not in seen]
    return re.compile("".join(parts), re.IGNORECASE)


def quick_read(pattern: re.Pattern[str], text: str, zone: tzinfo | None = None) -> datetime | None:
    """The time in `text` (in `zone`, fold=0), or None to leave it to strptime."""
    match = pattern.fullmatch(text)
    if match is None:
        return None
    year4, year2, month, day, hour24, hour12, minute, second, fraction, half = match.group(
        "Y", "y", "m", "d", "H", "I", "M", "S", "f", "p"
    )
    if year4:
        year = int(year4)
    elif year2:
        year = int(year2)
        year += 2000 if year <= 68 else 1900  # strptime's pivot
    else:
        year = 1900  # a time of day, dated as strptime dates it
    if hour12:
        hour = int(hour12)
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.upper() == "PM" else 0)
    else:
        hour = int(hour24) if hour24 else 0
    try:
        return datetime(
            year, int(month) if month else 1, int(day) if day else 1, hour,
            int(minute) if minute else 0, int(second) if second else 0,
            int(fraction.ljust(6, "0")) if fraction else 0, zone,
        )  # fmt: skip
    except ValueError:
        return None
