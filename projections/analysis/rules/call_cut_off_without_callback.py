"""call-cut-off-without-callback: a call cut off, and no callback within the window.

A call that ends other than `completed` needs an `outbound` call on its incident within
`callback_window` of the end. The stretch starts at the end and ends at the callback, or at
the closing; a closing within the window counts as the callback not made. Severity is high
when the handler ended the call.
"""

from __future__ import annotations

from datetime import datetime

from ledger.durations import describe
from projections.analysis.findings import Finding
from projections.analysis.policy import Policy
from projections.analysis.rules.base import closing_after, earliest, make
from projections.analysis.rules.context import Context
from projections.analysis.state import CallState, IncidentState

CODE = "call-cut-off-without-callback"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Finding]:
    return [
        finding
        for call in state.calls
        if (finding := _check(call, state, policy, clock)) is not None
    ]


def _check(
    call: CallState, state: IncidentState, policy: Policy, clock: datetime
) -> Finding | None:
    ended = call.ended
    if ended is None or ended.how == "completed":
        return None
    deadline = ended.at + policy.callback_window
    callbacks = [
        c.received
        for c in state.calls
        if c.received.channel == "outbound" and c.call != call.call and c.received.at >= ended.at
    ]
    callback = min(callbacks, key=lambda event: event.at, default=None)
    closing = closing_after(state, ended.at)
    if callback is not None and callback.at <= deadline:
        return None
    closed_in_window = closing is not None and closing.at <= deadline
    if not closed_in_window and clock <= deadline:
        return None
    end = earliest(callback, closing)
    cut = f"Call {call.call} cut off ({ended.how})"
    # Summaries never depend on the clock: a stored finding stays right while the clock moves.
    took = describe((end.at if end else ended.at) - ended.at)
    if end is None:
        outcome = f"no callback within {describe(policy.callback_window)}"
    elif end is callback:
        outcome = f"called back only after {took}"
    else:
        outcome = f"closed {took} later without a callback"
    severity = "high" if ended.how == "handler-terminated" else "medium"
    return make(
        CODE,
        state.incident,
        severity,
        ended.at,
        end.at if end else None,
        (ended, call.received, closing if closed_in_window else None),
        f"{cut}; {outcome}",
    )
