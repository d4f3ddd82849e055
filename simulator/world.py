"""Response units on shifts, their bookings, and how long they take to get anywhere.

Three teams work eight-hour turns (early 07-15, late 15-23, night 23-07) in two sectors:
the early turn's cars are KD11..KD19 and KE11..KE19, the late turn's KD21.., the night's
KD31... A unit is booked for the whole span of a job (from its allocation until it clears)
plus a stand-down buffer, and is never booked twice at once: a unit that turned up somewhere
else without being released would be a finding the ground truth did not inject. When the
team has no free car, a mutual-aid car from a neighbouring borough (XA01, XA02, ...) is
lent, as control rooms do.
"""

from __future__ import annotations

import random
from bisect import bisect_left

from simulator.clock import MINUTE, local_hour

BUFFER = 6 * MINUTE  # > 2 x ack_timeout: no radio traffic from one job can excuse another
TEAM_SIZE = 9
SECTORS = ("KD", "KE")


def team_for(hour: int) -> int:
    if 7 <= hour < 15:
        return 1
    if 15 <= hour < 23:
        return 2
    return 3


class _Diary:
    """One unit's bookings: disjoint intervals kept sorted."""

    __slots__ = ("ends", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def free(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)
        return i == 0 or self.ends[i - 1] <= start

    def book(self, start: int, end: int) -> None:
        i = bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


class Units:
    def __init__(self, rng: random.Random, team_size: int = TEAM_SIZE) -> None:
        self._rng = rng
        self._teams = {
            team: [f"{sector}{team}{n}" for sector in SECTORS for n in range(1, team_size + 1)]
            for team in (1, 2, 3)
        }
        self._diaries: dict[str, _Diary] = {}
        self._aid: list[str] = []
        self.lent = 0

    def book(self, start: int, end: int) -> str:
        """A unit on duty at `start` and free from `start` to `end` (plus buffers)."""
        span = (start - BUFFER, end + BUFFER)
        crew = list(self._teams[team_for(local_hour(start))])
        self._rng.shuffle(crew)
        for unit in crew + self._aid:
            diary = self._diaries.setdefault(unit, _Diary())
            if diary.free(*span):
                diary.book(*span)
                if unit.startswith("XA"):
                    self.lent += 1
                return unit
        unit = f"XA{len(self._aid) + 1:02d}"
        self._aid.append(unit)
        self._diaries[unit] = _Diary()
        self._diaries[unit].book(*span)
        self.lent += 1
        return unit

    def travel(self, urgent: bool) -> int:
        """Seconds from en route to at scene: blue lights, or road speed for planned calls."""
        if urgent:
            return self._rng.randint(4 * MINUTE, 11 * MINUTE)
        return self._rng.randint(6 * MINUTE, 22 * MINUTE)
