"""repeat-contact-not-linked: a call matches an earlier call on another incident, unlinked.

A call matches (phone or address, folded) a call on another incident within `repeat_window`
before it, and the two incidents are not linked, directly or through others, within
`triage_grace` after the later call. One finding per pair of incidents, on the incident of
the pair's first such later call; the stretch starts at that call and ends at the link, or
at that incident's closing (a closing within the grace counts as the link not made).
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import datetime

from ledger import instants
from ledger.contacts import call_keys
from ledger.durations import describe
from ledger.events import CallReceived
from projections.analysis.effective import Effective
from projections.analysis.policy import Policy
from projections.analysis.rules.base import Outcome, closing_after, earliest, make, waiting
from projections.analysis.rules.context import Context, ordered_before
from projections.analysis.state import IncidentState

CODE = "repeat-contact-not-linked"

Pair = tuple[Effective, Effective]  # (later call, earlier call)


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    found: list[Outcome] = []
    for other, (later, earlier) in sorted(_triggers(state.incident, ctx, policy).items()):
        if _triggers(other, ctx, policy, only=state.incident, before=later):
            continue  # the pair's first repeat is a call on the other incident
        finding = _check(state, other, later, earlier, ctx, policy, clock)
        if finding is not None:
            found.append(finding)
    return found


def _triggers(
    incident: str,
    ctx: Context,
    policy: Policy,
    only: str | None = None,
    before: Effective | None = None,
) -> dict[str, Pair]:
    """Per other incident, the first call of `incident` repeating one of its calls."""
    pairs: dict[str, Pair] = {}
    for later in ctx.calls_of.get(incident, ()):
        if before is not None and not ordered_before(later, before):
            break
        assert isinstance(later.event, CallReceived)
        for key in sorted(call_keys(later.event, policy.country_code)):
            for earlier in _within(ctx.calls_by_key.get(key, ()), later, policy):
                other = _incident(earlier)
                if other == incident or (only is not None and other != only):
                    continue
                known = pairs.get(other)
                # Keep the first later call; for it, the most recent earlier call.
                if known is None or (known[0] is later and ordered_before(known[1], earlier)):
                    pairs[other] = (later, earlier)
    return pairs


def _within(
    calls: tuple[Effective, ...], later: Effective, policy: Policy
) -> tuple[Effective, ...]:
    """The calls (in the ledger's order) before `later` and at most `repeat_window` before it:
    found by bisection, as a key shared by thousands of calls (a busy address) is common."""
    start = bisect_left(calls, instants.earlier(later.event.at, policy.repeat_window), key=_at)
    end = bisect_left(calls, (later.event.at, later.seq), lo=start, key=_order)
    return calls[start:end]


def _at(item: Effective) -> datetime:
    return item.event.at


def _order(item: Effective) -> tuple[datetime, int]:
    return (item.event.at, item.seq)


def _check(
    state: IncidentState,
    other: str,
    later: Effective,
    earlier: Effective,
    ctx: Context,
    policy: Policy,
    clock: datetime,
) -> Outcome | None:
    start = later.event.at
    deadline = instants.later(start, policy.triage_grace)
    link = ctx.links.connected_by(state.incident, other)
    if link is not None and link.at <= deadline:
        return None
    closing = closing_after(state, start)
    closed_in_window = closing is not None and closing.at <= deadline
    if not closed_in_window and clock <= deadline:
        return waiting(
            CODE, state.incident, deadline, "grace to link the repeat call ends", later.event
        )
    end = earliest(link, closing)
    call, first = later.event, earlier.event
    assert isinstance(call, CallReceived)
    assert isinstance(first, CallReceived)
    shared = call_keys(call, policy.country_code) & call_keys(first, policy.country_code)
    what = " and ".join(sorted(f"same {k.split(':')[0]}" for k in shared))
    if end is None:
        outcome = "not linked"
    else:
        outcome = f"{'linked' if end is link else 'closed'} {describe(end.at - start)} later"
    summary = (
        f"Call {call.call} repeats call {first.call} on {other} "
        f"({what}, {describe(start - first.at)} earlier); {outcome}"
    )
    return make(
        CODE,
        state.incident,
        "medium",
        start,
        end.at if end else None,
        (later.event, earlier.event, end),
        summary,
    )


def _incident(item: Effective) -> str:
    assert isinstance(item.event, CallReceived)
    return item.event.incident
