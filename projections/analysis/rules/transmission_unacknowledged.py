"""transmission-unacknowledged: a message that needs an acknowledgement gets none in time.

The stretch starts at the transmission and ends at the acknowledgement, or when the
transmission's incident closes; a closing within `ack_timeout` means no finding. A message
naming no incident gives a finding with no incident.
"""

from __future__ import annotations

from datetime import datetime

from ledger.durations import describe
from ledger.events import RadioTransmission
from ledger.instants import later
from projections.analysis.policy import Policy
from projections.analysis.rules.base import Outcome, closing_after, earliest, make, waiting
from projections.analysis.rules.context import Context
from projections.analysis.state import IncidentState

CODE = "transmission-unacknowledged"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    sent = [t.sent for t in state.transmissions.values()]
    return [f for t in sent if (f := _check(t, state, ctx, policy, clock)) is not None]


def find_unplaced(ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    sent = [t for t in ctx.transmissions.values() if t.incident is None]
    return [f for t in sent if (f := _check(t, None, ctx, policy, clock)) is not None]


def _check(
    sent: RadioTransmission,
    state: IncidentState | None,
    ctx: Context,
    policy: Policy,
    clock: datetime,
) -> Outcome | None:
    if not sent.ack_required:
        return None
    deadline = later(sent.at, policy.ack_timeout)
    ack = ctx.acks.get(sent.transmission)
    closing = closing_after(state, sent.at) if state is not None else None
    if any(e is not None and e.at <= deadline for e in (ack, closing)):
        return None
    if clock <= deadline:
        return waiting(CODE, sent.incident, deadline, "acknowledgement window ends", sent)
    end = earliest(ack, closing)
    said = f"{sent.from_} → {sent.to} message {sent.transmission}"
    took = describe((end.at if end else sent.at) - sent.at)
    if end is None:
        outcome = "not acknowledged"
    elif end is ack:
        outcome = f"acknowledged only after {took}"
    else:
        outcome = f"not acknowledged before the incident closed {took} later"
    return make(
        CODE,
        sent.incident,
        "medium",
        sent.at,
        end.at if end else None,
        (sent, end),
        f"{said} {outcome} (timeout {describe(policy.ack_timeout)})",
    )
