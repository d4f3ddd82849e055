"""Helpers the rules share: building a finding or a pending deadline, reading closings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ledger.events import IncidentClosed, LedgerEvent
from projections.analysis.findings import Finding, Pending
from projections.analysis.state import IncidentState


def make(
    code: str,
    incident: str | None,
    severity: str,
    start: datetime,
    end: datetime | None,
    evidence: Iterable[LedgerEvent | None],
    summary: str,
) -> Finding:
    """A finding citing `evidence`: the trigger first, then what it was compared with, then
    the event that ended the stretch (findings.md ruling 8); Nones and repeats dropped."""
    cited = [event for event in evidence if event is not None]
    ids = tuple(dict.fromkeys(event.id for event in cited))
    approximate = any(event.approximate for event in cited)
    return Finding(code, incident, severity, start, end, ids, approximate, summary)


Outcome = Finding | Pending  # what a rule reports: a finding, or a deadline still running


def waiting(
    code: str, incident: str | None, deadline: datetime, what: str, trigger: LedgerEvent
) -> Pending:
    """A deadline not passed at the clock (findings.md ruling 2: only a later clock passes it);
    `trigger` is the event the finding to come would start from."""
    return Pending(code, incident, deadline, what, trigger.id)


def closing_after(state: IncidentState, moment: datetime) -> IncidentClosed | None:
    """The incident's first closing at or after `moment`."""
    closings = [c for c in state.closings if c.at >= moment]
    return min(closings, key=lambda c: c.at, default=None)


def closed_before(state: IncidentState, moment: datetime) -> bool:
    """True when the incident was closed (and not reopened) just before `moment`."""
    earlier = [change for change in state.status_log if change.event.at < moment]
    return bool(earlier) and earlier[-1].status == "closed"


def earliest(*events: LedgerEvent | None) -> LedgerEvent | None:
    """The earliest of the events given (by `at`; the first given wins a tie)."""
    present = [event for event in events if event is not None]
    return min(present, key=lambda event: event.at, default=None)


def later_in_story(state: IncidentState, event: LedgerEvent) -> list[LedgerEvent]:
    """The incident's events that come after `event` in its story (at, then append order)."""
    for index, item in enumerate(state.events):
        if item.event.id == event.id:
            return [later.event for later in state.events[index + 1 :]]
    return [item.event for item in state.events if item.event.at > event.at]
