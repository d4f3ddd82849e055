"""late-recording: an event entered the record more than `late_recording` after it happened.

The stretch runs from `at` to `recorded_at`. Evaluated at a clock before the recording (with
`--at`), an event already later than the threshold is a finding still open. The finding's
incident is the one the event belongs to (the call's for a `CallEnded`, the message's for an
acknowledgement, the plan's for a `FollowUpDone`), none for markers and the like.
Corrections and retractions are not checked: they describe the record, not the incident.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ledger.durations import describe
from projections.analysis.effective import Effective
from projections.analysis.findings import Finding
from projections.analysis.policy import Policy
from projections.analysis.rules.base import make
from projections.analysis.rules.context import Context
from projections.analysis.state import IncidentState

CODE = "late-recording"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Finding]:
    return _check(ctx.by_home.get(state.incident, ()), state.incident, policy, clock)


def find_unplaced(ctx: Context, policy: Policy, clock: datetime) -> list[Finding]:
    return _check(ctx.by_home.get(None, ()), None, policy, clock)


def _check(
    items: Iterable[Effective], incident: str | None, policy: Policy, clock: datetime
) -> list[Finding]:
    found: list[Finding] = []
    for item in items:
        event = item.event
        recorded = event.recorded_at
        if recorded is None or min(recorded, clock) - event.at <= policy.late_recording:
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
