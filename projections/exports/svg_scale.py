"""The time axis of a swimlane chart: its window, its ticks in local time, and x for a time.

The window covers the incident's own events (its calls to its closing); evidence from long
before or after (a marker removed months earlier, a diversion written up weeks later) sits in
a narrow gutter at either side, labelled with its date, so the hours that matter keep their
width.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from projections.exports.timefmt import local

STEPS = tuple(
    timedelta(minutes=m)
    for m in (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 43200)
)
MIN_SPAN = timedelta(minutes=20)
PAD = 0.03


@dataclass(frozen=True)
class Scale:
    start: datetime
    end: datetime
    x0: float  # plot area, in viewBox units
    x1: float
    left_gutter: tuple[float, float] | None
    right_gutter: tuple[float, float] | None
    zone: str

    def inside(self, moment: datetime) -> bool:
        return self.start <= moment <= self.end

    def x(self, moment: datetime) -> float:
        """Position of a time; times outside the window go to the middle of their gutter."""
        if moment < self.start:
            return _mid(self.left_gutter) if self.left_gutter else self.x0
        if moment > self.end:
            return _mid(self.right_gutter) if self.right_gutter else self.x1
        span = (self.end - self.start).total_seconds()
        share = (moment - self.start).total_seconds() / span
        return self.x0 + share * (self.x1 - self.x0)

    def clamp(self, moment: datetime) -> float:
        """Position of a time held to the plot area's edges (for bars crossing the window)."""
        if moment < self.start:
            return self.left_gutter[0] if self.left_gutter else self.x0
        if moment > self.end:
            return self.right_gutter[1] if self.right_gutter else self.x1
        return self.x(moment)

    def start_day(self) -> str:
        there = local(self.start, self.zone)
        return f"{there:%a} {there.day} {there:%b %Y}"

    def ticks(self) -> list[tuple[float, str, str]]:
        """(x, "HH:MM", date label when the day changes) at a step giving 5 to 12 ticks."""
        span = self.end - self.start
        step = next((s for s in STEPS if span / s <= 12), STEPS[-1])
        there = local(self.start, self.zone)
        if step >= timedelta(days=1):
            first = there.replace(hour=0, minute=0, second=0, microsecond=0)
        else:
            minutes = int(step.total_seconds() // 60)
            day = there.replace(hour=0, minute=0, second=0, microsecond=0)
            elapsed = int((there - day).total_seconds() // 60)
            first = day + timedelta(minutes=(elapsed // minutes) * minutes)
        result: list[tuple[float, str, str]] = []
        moment, previous_day = first, there.date()  # the start day is labelled apart
        while moment <= self.end:
            if moment >= self.start:
                here = local(moment, self.zone)
                day_label = (
                    f"{here:%a} {here.day} {here:%b %Y}" if here.date() != previous_day else ""
                )
                previous_day = here.date()
                result.append((self.x(moment), here.strftime("%H:%M"), day_label))
            # Step in UTC so a clock change does not stop or repeat the axis.
            moment = local(moment.astimezone(UTC) + step, self.zone)
        return result


def _mid(gutter: tuple[float, float] | None) -> float:
    assert gutter is not None
    return (gutter[0] + gutter[1]) / 2


def make_scale(
    core: Sequence[datetime], every: Sequence[datetime], x0: float, x1: float, zone: str
) -> Scale:
    """A window around `core` times; gutters when any of `every` falls outside it."""
    times = list(core) or list(every)
    if not times:
        times = [datetime(1970, 1, 1, tzinfo=UTC)]
    start, end = min(times), max(times)
    if end - start < MIN_SPAN:
        middle = start + (end - start) / 2
        start, end = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    pad = (end - start) * PAD
    start, end = start - pad, end + pad
    gutter = 70.0
    left = right = None
    if any(t < start for t in every):
        left = (x0, x0 + gutter)
        x0 += gutter + 14
    if any(t > end for t in every):
        right = (x1 - gutter, x1)
        x1 -= gutter + 14
    return Scale(start, end, x0, x1, left, right, zone)
