"""call-cut-off-without-callback: a call cut off, and no callback within the window.

A call that ends other than `completed` needs an `outbound` call on its incident within
`callback_window` of the end. The stretch starts at the end and ends at the callback, or at
the closing; a closing within the window counts as the callback not made. Severity is high
when the handler ended the call. A call end whose call is in no incident (findings.md
ruling 7) is judged on its own: no incident can call back, so a cut-off is a finding of no
incident once the window has passed.
"""

from __future__ import annotations

from datetime import datetime

from ledger.durations import describe
from ledger.events import CallEnded, CallReceived, IncidentClosed
from ledger.instants import later
from projections.analysis.policy import Policy
from projections.analysis.rules.base import Outcome, closing_after, earliest, make, waiting
from projections.analysis.rules.context import Context
from projections.analysis.state import IncidentState

CODE = "call-cut-off-without-callback"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    found: list[Outcome] = []
    for call in state.calls:
        if call.ended is None or call.ended.how == "completed":
            continue
        callbacks = [
            c.received
            for c in state.calls
            if c.received.channel == "outbound"
            and c.call != call.call
            and c.received.at >= call.ended.at
        ]
        callback = min(callbacks, key=lambda event: event.at, default=None)
        closing = closing_after(state, call.ended.at)
        outcome = _check(
            call.ended, call.received, state.incident, callback, closing, policy, clock
        )
        if outcome is not None:
            found.append(outcome)
    return found


def find_unplaced(ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    found: list[Outcome] = []
    for item in ctx.loose:
        ended = item.event
        if isinstance(ended, CallEnded) and ended.how != "completed":
            outcome = _check(ended, None, None, None, None, policy, clock)
            if outcome is not None:
                found.append(outcome)
    return found


def _check(
    ended: CallEnded,
    received: CallReceived | None,
    incident: str | None,
    callback: CallReceived | None,
    closing: IncidentClosed | None,
    policy: Policy,
    clock: datetime,
) -> Outcome | None:
    deadline = later(ended.at, policy.callback_window)
    if callback is not None and callback.at <= deadline:
        return None
    closed_in_window = closing is not None and closing.at <= deadline
    if not closed_in_window and clock <= deadline:
        return waiting(CODE, incident, deadline, "callback window ends", ended)
    end = earliest(callback, closing)
    cut = f"Call {ended.call} cut off ({ended.how})"
    # Summaries never depend on the clock: a stored finding stays right while the clock moves.
    took = describe((end.at if end else ended.at) - ended.at)
    if end is None:
        outcome = f"no callback within {describe(policy.callback_window)}"
        if received is None:
            outcome += " (the call itself is not in the ledger)"
    elif end is callback:
        outcome = f"called back only after {took}"
    else:
        outcome = f"closed {took} later without a callback"
    severity = "high" if ended.how == "handler-terminated" else "medium"
    return make(
        CODE,
        incident,
        severity,
        ended.at,
        end.at if end else None,
        (ended, received, end),
        f"{cut}; {outcome}",
    )
