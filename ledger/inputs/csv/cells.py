"""Reading one cell: local CAD times with strptime formats, and WKT points."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from ledger.inputs.csv.fasttime import compile_format, quick_read

# A date and time whose every field differs, so a format that drops or confuses one (a 12-hour
# clock without AM/PM, a month read as minutes) does not give it back.
_PROBE = datetime(2001, 2, 3, 16, 5, 6)

_POINT = re.compile(
    r"^\s*POINT\s*\(\s*(?P<lon>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
    r"\s+(?P<lat>[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*\)\s*$",
    re.IGNORECASE,
)
_EMPTY_POINT = re.compile(r"^\s*POINT\s+EMPTY\s*$", re.IGNORECASE)


def format_problem(fmt: str) -> str | None:
    """Why `fmt` cannot read CAD times, or None when it can."""
    if ("%H" not in fmt and "%I" not in fmt) or "%M" not in fmt:
        return f"{fmt!r} has no hour (%H or %I) and minute (%M): stage times need both"
    if "%I" in fmt and "%p" not in fmt:
        return f"{fmt!r} has a 12-hour clock (%I) without AM/PM (%p)"
    probe = _PROBE.replace(tzinfo=ZoneInfo("UTC")) if "%z" in fmt else _PROBE
    if "%S" not in fmt:
        probe = probe.replace(second=0)
    try:
        back = datetime.strptime(probe.strftime(fmt), fmt)
    except ValueError as error:
        return f"{fmt!r} is not a strptime format: {error}"
    if back != probe:
        return f"{fmt!r} does not read back what it writes ({probe} came back as {back})"
    return None


class TimeReader:
    """Parses a cell with the first format that fits; offset-less times are local to `zone`.

    A wall-clock time that occurs twice (the hour repeated when clocks go back) is read as its
    first occurrence (fold=0); one that does not occur (skipped when clocks go forward) is read
    with the offset in force before the change, as zoneinfo does for fold=0.
    """

    def __init__(self, formats: tuple[str, ...], zone: ZoneInfo | None) -> None:
        self.formats = formats
        self.zone = zone
        self._quick = [compile_format(fmt) for fmt in formats]
        # Per-unit rows repeat the call's times, so a small memo saves most strptime calls.
        self._memo: dict[str, tuple[datetime, str]] = {}

    def read(self, text: str) -> tuple[datetime, str]:
        """(aware time, precision "second" or "minute"); ValueError says what is wrong."""
        found = self._memo.get(text)
        if found is not None:
            return found
        cell = text.strip()
        for fmt, quick in zip(self.formats, self._quick, strict=True):
            value = quick_read(quick, cell) if quick is not None else None
            if value is None:
                try:
                    value = datetime.strptime(cell, fmt)
                except ValueError:
                    continue
            if value.tzinfo is None:
                if self.zone is None:
                    raise ValueError(f"{text!r} has no UTC offset and the mapping no timezone")
                value = value.replace(tzinfo=self.zone, fold=0)
            found = (value, "second" if "%S" in fmt else "minute")
            if len(self._memo) >= 4096:
                self._memo.clear()
            self._memo[text] = found
            return found
        shown = " or ".join(self.formats)
        raise ValueError(f"{text!r} is not a time in the form {shown}")


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
