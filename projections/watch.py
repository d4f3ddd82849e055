"""The findings of a ledger kept current as its clock moves and events arrive: what opened,
closed or was withdrawn at each step (`ledger watch`).

A `Watcher` looks at the ledger as a control room would have at a moving clock: only what had
been recorded by then (`as_known_at`, so a recorded day replays as it was lived), through the
one pipeline (`projections.analysis.compute`). It never recomputes the whole ledger after the
first look. At each step it recomputes only the owners the step can change, found as the read
models' catch-up finds them: an owner named by an event that has just become known, an owner
one of whose references (`projections.gather` deps) that event is filed under within the
stretch that mattered, and an owner one of whose deadlines the clock has just passed.

A finding is told by what stays the same while its stretch runs (code, incident, trigger,
start): it *opens* when it first stands at a step, *closes* when its end is first set, and is
*withdrawn* when it no longer stands (a retraction or a correction took it away).
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ledger.events import LedgerEvent
from ledger.store.ledger import Ledger, decode
from projections.analysis.compute import analyse
from projections.analysis.findings import Finding, Pending
from projections.analysis.policy import Policy
from projections.analysis.view import View
from projections.gather import Dep, Owner, gather
from projections.readmodels.runner import filed_under

CHUNK = 300  # owners gathered and analysed together
PAGE = 5000  # new events read per page
JUST_AFTER = timedelta(microseconds=1)  # a deadline has passed only once the clock is later

Key = tuple[str, str | None, str, datetime]
INCIDENT, EVENT = "incident", "event"


@dataclass(frozen=True)
class Change:
    """A finding that `kind` ("open" at the first look, "opened", "closed", "withdrawn") at
    `clock`."""

    kind: str
    clock: datetime
    finding: Finding


def key_of(finding: Finding) -> Key:
    """What stays the same about a finding while its stretch runs."""
    return (finding.code, finding.incident, finding.evidence[0], finding.start)


class Watcher:
    """The findings of every owner of one ledger at a clock that only moves forward."""

    def __init__(self, ledger: Ledger, policy: Policy) -> None:
        self.backend = ledger.backend
        self.policy = policy
        self.position = 0  # the last notification id read
        self.clock: datetime | None = None  # the last step's
        self._unseen: list[tuple[datetime, int, str, tuple[tuple[str, int], ...]]] = []
        self._deps: dict[Owner, set[Dep]] = {}
        self._by_ref: dict[str, dict[Owner, list[tuple[int, int]]]] = {}
        self._found: dict[Owner, dict[Key, Finding]] = {}
        self._pending: dict[Owner, list[Pending]] = {}
        self._placed: dict[str, str] = {}  # event id -> the incident that claims it
        self._cache: dict[int, LedgerEvent] = {}

    def read(self) -> int:
        """Take in the events appended since the last read; how many there were. They count
        from the step at which the clock reaches the time they were recorded."""
        count = 0
        while page := self.backend.events(self.position, PAGE):
            for line in page:
                event = decode(line)
                refs = tuple(filed_under(self.backend, event, line.notification_id))
                entry = (event.known_at, line.notification_id, event.id, refs)
                heapq.heappush(self._unseen, entry)
            self.position = page[-1].notification_id
            count += len(page)
        return count

    def next_moment(self) -> datetime | None:
        """The next clock at which something can change: an event becomes known, or a
        deadline passes."""
        moments = [self._unseen[0][0]] if self._unseen else []
        deadlines = [p.deadline for waiting in self._pending.values() for p in waiting]
        if deadlines:
            moments.append(min(deadlines))
        return min(moments) if moments else None

    def behind(self) -> bool:
        """True when an event already due at the last step's clock has not been seen yet
        (it arrived late): the next step should be at the present clock."""
        return bool(self._unseen) and self.clock is not None and self._unseen[0][0] <= self.clock

    def step(self, clock: datetime) -> list[Change]:
        """Move the clock to `clock` (never back): the findings that changed, in order. At a
        deadline, the findings are those just after it (it has passed only once the clock is
        later), told at the deadline."""
        first = self.clock is None
        if self.clock is not None and clock < self.clock:
            clock = self.clock
        waiting = [p for listed in self._pending.values() for p in listed]
        seen = clock + JUST_AFTER if any(p.deadline == clock for p in waiting) else clock
        owners: dict[Owner, None] = {}
        while self._unseen and self._unseen[0][0] <= seen:
            _, _, event_id, refs = heapq.heappop(self._unseen)
            owners.update(dict.fromkeys(self._touched(event_id, refs)))
        for owner, listed in self._pending.items():
            if any(p.deadline < seen for p in listed):
                owners[owner] = None
        self.clock = seen
        changes = [replace(c, clock=clock) for c in self._recompute(list(owners), seen)]
        if first:  # the first look: what already stands, not what just happened
            return [replace(c, kind="open") for c in changes if c.finding.end is None]
        return changes

    def _touched(self, event_id: str, refs: Iterable[tuple[str, int]]) -> list[Owner]:
        owners: list[Owner] = []
        for ref, at in refs:
            if ref.startswith("i:"):
                owners.append((INCIDENT, ref[2:]))
            elif ref == "x:":
                owners.append((EVENT, event_id))
            for owner, spans in self._by_ref.get(ref, {}).items():
                if any(lo <= at <= hi for lo, hi in spans):
                    owners.append(owner)
        return owners

    def _recompute(self, owners: list[Owner], clock: datetime) -> list[Change]:
        view = View(self.policy, as_known_at=clock)
        incidents = [name for kind, name in owners if kind == INCIDENT]
        loose = {name: None for kind, name in owners if kind == EVENT}
        named = set(incidents)
        claimed_before = {e for e, i in self._placed.items() if i in named}
        changes: list[Change] = []
        for start in range(0, len(incidents), CHUNK):
            chunk = incidents[start : start + CHUNK]
            found = gather(self.backend, chunk, policy=self.policy, cache=self._cache)
            result = analyse(found.events, incidents=chunk, view=view, clock=clock)
            for name in chunk:
                seen = result.incidents.get(name)
                owner = (INCIDENT, name)
                self._remember(owner, found.deps.get(owner, set()))
                changes += self._compare(owner, seen.findings if seen else [], clock)
                self._wait_on(owner, seen.pending if seen else [])
            these = set(chunk)
            for event_id in [e for e, i in self._placed.items() if i in these]:
                del self._placed[event_id]
            self._placed.update(result.placed)
        claimed_now = {e for e, i in self._placed.items() if i in named}
        loose.update(dict.fromkeys(claimed_before - claimed_now))  # loose again
        loose.update(dict.fromkeys(e for e in claimed_now if (EVENT, e) in self._found))
        changes += self._recompute_loose(list(loose), view, clock)
        return sorted(changes, key=lambda c: (c.finding.sort_key(), _ORDER[c.kind]))

    def _recompute_loose(self, loose: Collection[str], view: View, clock: datetime) -> list[Change]:
        changes: list[Change] = []
        placed = [event_id for event_id in loose if event_id in self._placed]
        for event_id in placed:  # an incident claims it: its findings are the incident's
            changes += self._compare((EVENT, event_id), [], clock)
            self._forget((EVENT, event_id))
        spare = [event_id for event_id in loose if event_id not in self._placed]
        for start in range(0, len(spare), CHUNK):
            chunk = spare[start : start + CHUNK]
            found = gather(self.backend, [], chunk, policy=self.policy, cache=self._cache)
            result = analyse(found.events, incidents=[], loose=chunk, view=view, clock=clock)
            for event_id in chunk:
                owner = (EVENT, event_id)
                self._remember(owner, found.deps.get(owner, set()))
                changes += self._compare(owner, result.loose.get(event_id, []), clock)
                self._wait_on(owner, result.loose_pending.get(event_id, []))
        return changes

    def _compare(self, owner: Owner, findings: list[Finding], clock: datetime) -> list[Change]:
        before = self._found.get(owner, {})
        after = {key_of(f): f for f in findings}
        changes = [Change("withdrawn", clock, f) for k, f in before.items() if k not in after]
        for key, finding in after.items():
            earlier = before.get(key)
            if earlier is None:
                changes.append(Change("opened", clock, finding))
                if finding.end is not None:
                    changes.append(Change("closed", clock, finding))
            elif earlier.end is None and finding.end is not None:
                changes.append(Change("closed", clock, finding))
        self._found[owner] = after
        return changes

    def _wait_on(self, owner: Owner, waiting: list[Pending]) -> None:
        """The owner's running deadlines; only owners with some are kept (each step scans
        them)."""
        if waiting:
            self._pending[owner] = waiting
        else:
            self._pending.pop(owner, None)

    def _remember(self, owner: Owner, deps: set[Dep]) -> None:
        """The references the owner was read by, in place of those of its last computation."""
        self._unindex(owner)
        self._deps[owner] = deps
        for ref, lo, hi in deps:
            self._by_ref.setdefault(ref, {}).setdefault(owner, []).append((lo, hi))

    def _unindex(self, owner: Owner) -> None:
        for ref, _, _ in self._deps.pop(owner, set()):
            self._by_ref.get(ref, {}).pop(owner, None)

    def _forget(self, owner: Owner) -> None:
        self._unindex(owner)
        self._pending.pop(owner, None)
        self._found.pop(owner, None)


_ORDER = {"withdrawn": 0, "open": 1, "opened": 1, "closed": 2}


def first_time(ledger: Ledger) -> datetime | None:
    """The time of the ledger's first event (its `at`), where a replay starts by default."""
    page = ledger.backend.events(0, 1)
    return decode(page[0]).at if page else None
