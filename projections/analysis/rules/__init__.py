"""One rule per finding code (findings.md), each a small pure function in its own module.

A rule module has `CODE`, `find(state, ctx, policy, clock)` for the findings of one
incident (and the deadlines still running there), and, when the code can have findings of no
incident, `find_unplaced(ctx, policy, clock)` over the context's loose events (those that
belong to no incident). `RULES` lists them in the order of findings.md's table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType

from projections.analysis.policy import Policy
from projections.analysis.rules import (
    call_cut_off_without_callback,
    closed_without_attendance,
    diversion_unknown_to_control,
    follow_up_overdue,
    incident_downgraded,
    late_recording,
    marker_call_graded_below_policy,
    marker_removed_before_call,
    possible_domestic_not_flagged,
    repeat_contact_not_linked,
    response_target_missed,
    transfer_facts_lost,
    transfer_urgency_lost,
    transmission_unacknowledged,
    unresourced_after_diversion,
)
from projections.analysis.rules.base import Outcome
from projections.analysis.rules.context import Context
from projections.analysis.state import IncidentState

Find = Callable[[IncidentState, Context, Policy, datetime], list[Outcome]]
FindUnplaced = Callable[[Context, Policy, datetime], list[Outcome]]


@dataclass(frozen=True)
class Rule:
    code: str
    find: Find
    find_unplaced: FindUnplaced | None = None


def _rule(module: ModuleType) -> Rule:
    return Rule(module.CODE, module.find, getattr(module, "find_unplaced", None))


RULES: tuple[Rule, ...] = tuple(
    _rule(module)
    for module in (
        unresourced_after_diversion,
        response_target_missed,
        transmission_unacknowledged,
        diversion_unknown_to_control,
        call_cut_off_without_callback,
        marker_removed_before_call,
        repeat_contact_not_linked,
        closed_without_attendance,
        possible_domestic_not_flagged,
        incident_downgraded,
        marker_call_graded_below_policy,
        follow_up_overdue,
        transfer_urgency_lost,
        transfer_facts_lost,
        late_recording,
    )
)
CODES: tuple[str, ...] = tuple(rule.code for rule in RULES)
