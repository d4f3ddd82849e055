"""What an answer rests on, said above it: the clock, the policy, the zone, and what is pending.

Findings depend on the clock (by default the latest time anywhere in the ledger, which any
import can move) and on the policy; an output that does not say which it used cannot be read
safely a week later. Human formats carry these lines above the table; machine formats keep
their shape and write the first line to standard error.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from cli.times import instant_text
from ledger.instants import in_zone

if TYPE_CHECKING:
    from cli.viewing import Looking
    from projections.analysis.findings import Pending

LISTED = 3  # pending deadlines named one by one; the rest are counted


def facts(looking: Looking, clock: datetime | None, *, policy: bool = True) -> str:
    """`clock … (why) · policy … · zone … (why)`."""
    view = looking.view
    if clock is None:
        when = "clock none: the ledger holds no events"
    else:
        why = (
            "--at"
            if view.at is not None
            else "--as-known-at: what had been recorded by then"
            if view.as_known_at is not None
            else "the ledger's latest time"
        )
        when = f"clock {instant_text(clock, looking.zone)} ({why})"
    parts = [when]
    if policy:
        parts.append(f"policy {looking.policy_name}")
    parts.append(f"zone {looking.zone_name} ({looking.zone_source})")
    return " · ".join(parts)


def pending_line(
    waiting: Sequence[Pending], looking: Looking, clock: datetime | None, *, incidents: bool
) -> str | None:
    """`2 findings pending: callback window ends 02:58, …`, or None when nothing is."""
    if not waiting:
        return None
    count = len(waiting)
    named = [_deadline(p, looking, clock, incidents=incidents) for p in waiting[:LISTED]]
    more = f", and {count - LISTED} more" if count > LISTED else ""
    noun = "finding" if count == 1 else "findings"
    return f"{count} {noun} pending: {', '.join(named)}{more}"


def _deadline(item: Pending, looking: Looking, clock: datetime | None, *, incidents: bool) -> str:
    local = in_zone(item.deadline, looking.zone)
    same_day = clock is not None and in_zone(clock, looking.zone).date() == local.date()
    text = f"{local:%H:%M}" if local.second == 0 else f"{local:%H:%M:%S}"
    if not same_day:
        text = f"{local:%Y-%m-%d} {text}"
    where = f" ({item.incident or 'no incident'})" if incidents else ""
    return f"{item.what} {text}{where}"
