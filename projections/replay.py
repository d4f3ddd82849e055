"""An incident replayed step by step: each event with the state it leaves, and each moment a
finding opens or closes, including when the clock passes a deadline with no event at all.

A response target passes at 00:54 whether or not anything is logged then: an investigator
stepping through the night must see the finding open there, not only at the next event. So
besides one step per timeline entry there is a step for each deadline the clock passes
between events (and after the last one, up to the replay's clock). Findings are those of the
one pipeline (`analyse`) at each step's clock, so a step shows exactly what
`ledger findings --at` that clock would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ledger.events import LedgerEvent
from projections.analysis.compute import analyse
from projections.analysis.findings import Finding, Pending
from projections.analysis.state import IncidentState
from projections.analysis.timeline import Entry
from projections.analysis.view import View

# A deadline passes only once the clock is later than it (findings.md ruling 2).
JUST_AFTER = timedelta(microseconds=1)


@dataclass(frozen=True)
class Step:
    """One step of a replay: an event (`entry`), or deadlines passing (`deadlines`)."""

    clock: datetime
    entry: Entry | None
    deadlines: tuple[Pending, ...]  # those the clock passes at this step (none for an event)
    state: IncidentState
    opened: tuple[Finding, ...] = ()
    closed: tuple[Finding, ...] = ()
    withdrawn: tuple[Finding, ...] = ()  # stood at the step before, no longer (a retraction)
    pending: tuple[Pending, ...] = ()  # deadlines still running after this step


@dataclass(frozen=True)
class _Seen:
    findings: dict[tuple[str, str | None, str, datetime], Finding]
    pending: tuple[Pending, ...]


def steps(
    events: Sequence[LedgerEvent],
    lines: Mapping[str, bytes],
    incident: str,
    view: View,
    clock: datetime,
) -> list[Step]:
    """The replay of `incident` up to `clock` in `view` (its policy, and `as_known_at`)."""
    final = analyse(events, incidents=[incident], view=view, clock=clock, lines=lines)
    seen = final.incidents.get(incident)
    if seen is None:
        return []

    def at(moment: datetime) -> _Seen:
        looked = View(view.policy, moment, view.as_known_at)
        result = analyse(events, incidents=[incident], view=looked, clock=moment, lines=lines)
        found = result.incidents.get(incident)
        if found is None:
            return _Seen({}, ())
        waiting = tuple(sorted(found.pending, key=_deadline_order))
        return _Seen({_key(f): f for f in found.findings}, waiting)

    replayed: list[Step] = []
    before = _Seen({}, ())
    state = IncidentState(incident)
    entries = seen.timeline
    for index, entry in enumerate(entries):
        before = _deadlines(replayed, at, before, state, until=entry.at)
        state = entry.state
        last_at_instant = index + 1 == len(entries) or entries[index + 1].at != entry.at
        if not last_at_instant:  # findings at an instant are told once all its events are in
            replayed.append(Step(entry.at, entry, (), state, pending=before.pending))
            continue
        after = at(entry.at)
        replayed.append(_step(entry.at, entry, (), state, before, after))
        before = after
    _deadlines(replayed, at, before, state, until=clock)
    return replayed


def _deadlines(
    replayed: list[Step],
    at: Callable[[datetime], _Seen],
    before: _Seen,
    state: IncidentState,
    *,
    until: datetime,
) -> _Seen:
    """A step for each deadline that passes before `until`, in order; the findings after."""
    passed: datetime | None = None
    while True:
        due = sorted(
            (
                p
                for p in before.pending
                if p.deadline < until and (passed is None or p.deadline > passed)
            ),
            key=_deadline_order,
        )
        if not due:
            return before
        passed = due[0].deadline
        passing = tuple(p for p in due if p.deadline == passed)
        after = at(passed + JUST_AFTER)
        replayed.append(_step(passed, None, passing, state, before, after))
        before = after


def _step(
    clock: datetime,
    entry: Entry | None,
    deadlines: tuple[Pending, ...],
    state: IncidentState,
    before: _Seen,
    after: _Seen,
) -> Step:
    opened = tuple(f for key, f in after.findings.items() if key not in before.findings)
    closed = tuple(
        f
        for key, f in after.findings.items()
        if key in before.findings and before.findings[key].end is None and f.end is not None
    )
    withdrawn = tuple(f for key, f in before.findings.items() if key not in after.findings)
    return Step(clock, entry, deadlines, state, opened, closed, withdrawn, after.pending)


def _key(finding: Finding) -> tuple[str, str | None, str, datetime]:
    """What stays the same about a finding while its stretch runs: code, incident, trigger,
    start (its end and the evidence that ended it come later)."""
    return (finding.code, finding.incident, finding.evidence[0], finding.start)


def _deadline_order(item: Pending) -> tuple[datetime, str, str]:
    return (item.deadline, item.code, item.event)
