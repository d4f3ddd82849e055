"""transfer-urgency-lost: an incident handed on is received as less urgent than it was held.

The receiver's urgency is the transfer's `to_grade`, else the receiving incident's first
grading when that incident is in the ledger. It is compared, by the policy's targets (which
may list several agencies' codes; `none` is the least urgent), with the grade the sending
incident held at the transfer: its latest grading before the transfer in the incident's story
(at, then append order), corrections applied. A longer target is the finding, a point at the
transfer. Codes the policy does not list are not compared (ruling 11 says so out loud); an
incident never graded held no grade, so loses none.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from ledger.durations import describe
from ledger.events import IncidentTransferred, LedgerEvent
from projections.analysis.policy import Policy
from projections.analysis.rules.base import Outcome, make
from projections.analysis.rules.context import Context
from projections.analysis.state import IncidentState

CODE = "transfer-urgency-lost"


def find(state: IncidentState, ctx: Context, policy: Policy, clock: datetime) -> list[Outcome]:
    found: list[Outcome] = []
    for transfer in state.transfers:
        held = transfer.held
        received = _received(transfer.event, ctx)
        if not transfer.outgoing or held is None or received is None:
            continue
        code, grading = received
        if policy.urgency(held.grade) is None or policy.urgency(code) is None:
            continue
        if not _longer(policy.target(code), policy.target(held.grade)):
            continue
        event = transfer.event
        there = f" ({event.to_incident})" if event.to_incident else ""
        summary = (
            f"Handed to {event.to_agency}{there} and received as {code} "
            f"({_goal(policy, code)}); the incident held {held.grade} "
            f"({_goal(policy, held.grade)}) at the transfer"
        )
        evidence = (event, held.event, grading)
        found.append(make(CODE, state.incident, "high", event.at, event.at, evidence, summary))
    return found


def _received(event: IncidentTransferred, ctx: Context) -> tuple[str, LedgerEvent] | None:
    """The urgency the receiver gave, and the event that says so."""
    if event.to_grade:
        return event.to_grade, event
    gradings = ctx.gradings_of.get(event.receiver or "", ())
    return (gradings[0].grade, gradings[0]) if gradings else None


def _longer(target: timedelta | None, than: timedelta | None) -> bool:
    """True when `target` gives longer than `than`; None (`none`) is the longest of all."""
    if than is None:
        return False
    return target is None or target > than


def _goal(policy: Policy, code: str) -> str:
    target = policy.target(code)
    return f"target {describe(target)}" if target is not None else "no target"
