"""A quicker strptime for the plain numeric formats CAD exports use (%m/%d/%Y %I:%M:%S %p).

strptime costs most of an import's time. A format made only of the directives below, each
followed by a literal, is compiled to one regex; whatever it does not read, or reads to an
impossible date, is handed to strptime, so it never accepts what strptime would refuse.
"""

from __future__ import annotations

import re
from datetime import datetime

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
    straight after another, whose split strptime might make differently, or no full date)."""
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
    if not (seen & {"Y", "y"} and {"m", "d"} <= seen):
        return None
    return re.compile("".join(parts), re.IGNORECASE)


def quick_read(pattern: re.Pattern[str], text: str) -> datetime | None:
    """The naive time in `text`, or None to leave it to strptime."""
    match = pattern.fullmatch(text)
    if match is None:
        return None
    cells = match.groupdict()
    if cells.get("Y") is not None:
        year = int(cells["Y"])
    else:
        year = int(cells["y"])
        year += 2000 if year <= 68 else 1900  # strptime's pivot
    if cells.get("I") is not None:
        hour = int(cells["I"])
        if not 1 <= hour <= 12:
            return None
        pm = (cells.get("p") or "AM").upper() == "PM"
        hour = hour % 12 + (12 if pm else 0)
    else:
        hour = int(cells.get("H") or 0)
    micro = int((cells.get("f") or "0").ljust(6, "0"))
    try:
        return datetime(  # naive: the caller applies the zone
            year, int(cells["m"]), int(cells["d"]), hour,
            int(cells.get("M") or 0), int(cells.get("S") or 0), micro,
        )  # fmt: skip
    except ValueError:
        return None
