"""Following a ledger as it grows: the watch's clock, and the loop that moves a `Watcher`.

The loop steps the watcher to each moment something can change (an event becomes known, a
deadline passes) as the clock reaches it, in order, so a replay tells the same story however
fast it runs; between moments it waits for the clock or for another process's append,
whichever comes first. An event that arrives late (known before the watcher's last step)
is taken in at once, at the present clock.

Two clocks: the wall clock (live), or the ledger's (a recorded day replayed from `start`,
at `speed` times the wall clock, or as fast as the steps go).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ledger.errors import StoreError
from ledger.store.ledger import Ledger
from ledger.store.notify import Waiter
from projections.readmodels import runner
from projections.watch import Change, Watcher

SLICE = 0.2  # seconds between looks at the stop flag while waiting
FAR = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)


class WallClock:
    """The present, as the machine's clock says."""

    fast = False

    def now(self) -> datetime:
        return datetime.now(UTC)

    def first(self) -> datetime:
        return self.now()

    def seconds_until(self, moment: datetime) -> float:
        return (moment - self.now()).total_seconds()


class LedgerClock:
    """The ledger's time from `start`, running at `speed` times the wall clock (None: as fast
    as the steps go, every moment in order)."""

    def __init__(self, start: datetime, speed: float | None) -> None:
        self.start = start
        self.speed = speed
        self.fast = speed is None
        self.origin = time.monotonic()

    def first(self) -> datetime:
        return self.start

    def now(self) -> datetime:
        if self.speed is None:
            return FAR
        return self.start + timedelta(seconds=(time.monotonic() - self.origin) * self.speed)

    def seconds_until(self, moment: datetime) -> float:
        if self.speed is None:
            return 0.0
        return (moment - self.now()).total_seconds() / self.speed


Clock = WallClock | LedgerClock


@dataclass(frozen=True)
class Idle:
    """The watcher has taken in every event up to `position` and stepped to `clock`; it now
    waits for the clock or for an append."""

    position: int
    clock: datetime


def follow(
    ledger: Ledger,
    watcher: Watcher,
    clock: Clock,
    waiter: Waiter,
    *,
    until: datetime | None = None,
    stop: threading.Event | None = None,
    keep_views: bool = True,
) -> Iterator[Change | Idle]:
    """Each change as the clock reaches it, an `Idle` before each wait; ends at `until`, or
    when `stop` is set (between steps, and within `SLICE` s while waiting)."""
    stop = stop or threading.Event()
    watcher.read()
    yield from watcher.step(_capped(clock.first(), until))
    fresh = False
    while not stop.is_set():
        now = _capped(clock.now(), until)
        for changes in _due(watcher, now, fast=clock.fast):
            yield from changes
            if stop.is_set():
                return
        assert watcher.clock is not None
        if until is not None and now >= until:
            yield from watcher.step(until)
            return
        if fresh and keep_views:  # after telling what the new events opened, not before
            _refresh(ledger)
        yield Idle(watcher.position, watcher.clock)
        fresh = _wait(watcher, clock, waiter, until, stop) and watcher.read() > 0


def _capped(now: datetime, until: datetime | None) -> datetime:
    return now if until is None else min(now, until)


def _due(watcher: Watcher, now: datetime, *, fast: bool) -> Iterator[list[Change]]:
    """Step to each moment due by `now`, in order; an event that came late, at once."""
    while True:
        if watcher.behind():
            assert watcher.clock is not None
            yield watcher.step(watcher.clock if fast else max(now, watcher.clock))
            continue
        moment = watcher.next_moment()
        if moment is None or moment > now:
            return
        yield watcher.step(moment)


def _wait(
    watcher: Watcher,
    clock: Clock,
    waiter: Waiter,
    until: datetime | None,
    stop: threading.Event,
) -> bool:
    """Wait until the next moment or `until` (as the clock runs), an append, or `stop`: True
    when there are new events to read."""
    moments = [m for m in (watcher.next_moment(), until) if m is not None]
    if clock.fast and moments:
        return waiter.wait(watcher.position, 0.0)
    ends = time.monotonic() + clock.seconds_until(min(moments)) if moments else None
    while not stop.is_set():
        left = SLICE if ends is None else min(SLICE, ends - time.monotonic())
        if waiter.wait(watcher.position, max(left, 0.0)):
            return True
        if ends is not None and time.monotonic() >= ends:
            return False
    return False


def _refresh(ledger: Ledger) -> None:
    """Bring the stored read models up to date, for the other readers of the ledger; a store
    that cannot be written, or another process's catch-up, is not the watch's concern."""
    with suppress(StoreError):
        runner.refresh(ledger)
