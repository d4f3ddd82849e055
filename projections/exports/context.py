"""What every human export says first: what was exported, from which ledger, at which clock,
under which policy, in which time zone, and what was still pending at that clock."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from projections.analysis.findings import Finding, Pending
from projections.analysis.policy import Policy
from projections.exports.timefmt import local, local_text


@dataclass(frozen=True)
class Context:
    chain_head: str
    ledger_events: int
    policy: Policy
    policy_name: str
    zone: str  # IANA: every time shown to people is in this zone
    clock: datetime | None
    clock_kind: str  # "at", "as known at" or "ledger clock"
    selection: tuple[str, ...] | None  # None: the whole ledger
    redacted: bool
    generated_at: str | None = None


@dataclass
class Totals:
    """What the export found, added up while it streamed."""

    incidents: list[str] = field(default_factory=list)
    severities: Counter[str] = field(default_factory=Counter)
    pending: list[Pending] = field(default_factory=list)
    unplaced: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> int:
        return sum(self.severities.values())


def clock_text(context: Context) -> str:
    if context.clock is None:
        return "no events"
    when = local_text(context.clock, context.zone)
    return {
        "at": f"as things stood at {when}",
        "as known at": f"as known at {when} (only what had been recorded by then)",
    }.get(context.clock_kind, f"the ledger's clock, {when} (the latest time it holds)")


def pending_text(context: Context, pending: list[Pending]) -> str:
    """`2 findings pending: callback window ends 02:58 (CAD-7); …`, or `none`."""
    if not pending:
        return "none: no deadline is still running at the clock"
    ordered = sorted(pending, key=lambda p: (p.deadline, p.incident or "", p.code))
    day = local(context.clock, context.zone).date() if context.clock else None
    parts = []
    for p in ordered:
        there = local(p.deadline, context.zone)
        moment = (
            there.strftime("%H:%M") if there.date() == day else there.strftime("%Y-%m-%d %H:%M")
        )
        parts.append(f"{p.what} {moment} ({p.incident or 'no incident'}, {p.code})")
    count = len(ordered)
    return f"{count} finding{'s' if count != 1 else ''} pending: " + "; ".join(parts)


def header_facts(context: Context, totals: Totals) -> list[tuple[str, str]]:
    """(label, value) pairs, in the order every human export shows them."""
    if context.selection is None:
        chosen = f"the whole ledger ({len(totals.incidents)} incidents)"
    else:
        chosen = ", ".join(context.selection) or "none"
    s = totals.severities
    facts = [
        ("Incidents", chosen),
        ("Ledger", f"{context.ledger_events} events; chain head {context.chain_head}"),
        ("Clock", clock_text(context)),
        ("Policy", context.policy_name),
        ("Time zone", f"{context.zone}: every time shown is in this zone"),
        (
            "Findings",
            f"{totals.findings} at the clock ({s['high']} high, {s['medium']} medium, "
            f"{s['info']} info)",
        ),
        ("Pending", pending_text(context, totals.pending)),
        (
            "Redacted",
            "yes: caller, location and unknown fields are pseudonyms" if context.redacted else "no",
        ),
    ]
    if context.generated_at is not None:
        facts.append(("Exported", context.generated_at))
    return facts
