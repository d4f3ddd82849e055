"""late-recording: an event entered the record more than `late_recording` after it happened.

Every event type counts, corrections and retractions included (findings.md ruling 6). The
stretch runs from `at` to `recorded_at`. Evaluated at a clock before the recording (with
`--at`), an event already later than the threshold is a finding still open. The finding's
incident is the one the event belongs to (the call's for a `CallEnded`, the message's for an
acknowledgement, the plan's for a `FollowUpDone`, the corrected or retracted event's for a
correction or retraction), none for markers and the like.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ledger.durations import describe
from ledger.events import LedgerEvent
from ledger.instants import later
from projections.analysis.policy import Policy
from projections.analysis.rules.base import Outcome, make, waiting
from projections.analysis.rules.context import Context
from projections.analysis.state import IncidentState

CODE = "late-recording"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    items = ctx.by_home.get(state.incident, ())
    metas = ctx.metas_by_home.get(state.incident, ())
    return _check([item.event for item in items] + list(metas), state.incident, policy, clock)


def find_unplaced(ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    events = [item.event for item in ctx.loose] + list(ctx.metas_by_home.get(None, ()))
    return _check(events, None, policy, clock)


def _check(
    events: Iterable[LedgerEvent], incident: str | None, policy: Policy, clock: datetime
) -> list[Outcome]:
    found: list[Outcome] = []
    for event in events:
        recorded = event.recorded_at
        if recorded is None:
            continue
        deadline = later(event.at, policy.late_recording)
        if recorded <= deadline:
            continue
        if clock <= deadline:
            found.append(waiting(CODE, incident, deadline, f"{event.id} becomes late", event))
            continue
        end = recorded if recorded <= clock else None
        if end is None:
            limit = describe(policy.late_recording)
            summary = f"{event.type} {event.id} not recorded within {limit} of happening"
        else:
            delay = describe(recorded - event.at)
            summary = f"{event.type} {event.id} recorded {delay} after it happened"
        found.append(make(CODE, incident, "info", event.at, end, (event,), summary))
    return found
