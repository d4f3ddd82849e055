"""What can happen to a call: each scenario writes one to three incidents' stories.

A scenario is `f(ctx, t0) -> incidents written`; the table gives how often each is chosen
for a new call and the most incidents it may write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from simulator.context import Ctx
from simulator.scenarios.calls import cut_off, stray_end
from simulator.scenarios.diversions import diversion, stood_down
from simulator.scenarios.domestic import domestic_words
from simulator.scenarios.grading import regrade
from simulator.scenarios.iopc import iopc_104370
from simulator.scenarios.listed import still_listed
from simulator.scenarios.markers import marker_graded, marker_removed
from simulator.scenarios.records import follow_up, late_amendment, late_record, radio
from simulator.scenarios.repeats import repeat_contact
from simulator.scenarios.response import closed_unattended, late_response, upgrade_timing
from simulator.scenarios.routine import routine
from simulator.scenarios.transfers import transfer


class Scenario(NamedTuple):
    name: str
    weight: float
    size: int  # the most incidents it writes
    write: Callable[[Ctx, int], int]


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("routine", 640, 1, routine),
    Scenario("late-response", 40, 1, late_response),
    Scenario("closed-unattended", 15, 1, closed_unattended),
    Scenario("upgrade-timing", 12, 1, upgrade_timing),
    Scenario("diversion", 30, 2, diversion),
    Scenario("stood-down", 12, 1, stood_down),
    Scenario("still-listed", 8, 2, still_listed),
    Scenario("cut-off", 35, 1, cut_off),
    Scenario("stray-call-end", 6, 1, stray_end),
    Scenario("repeat-contact", 35, 3, repeat_contact),
    Scenario("marker-removed", 12, 1, marker_removed),
    Scenario("marker-graded", 12, 1, marker_graded),
    Scenario("regrade", 25, 1, regrade),
    Scenario("domestic-words", 30, 1, domestic_words),
    Scenario("follow-up", 25, 1, follow_up),
    Scenario("late-recording", 20, 1, late_record),
    Scenario("late-amendment", 10, 1, late_amendment),
    Scenario("radio", 20, 1, radio),
    Scenario("iopc-104370", 2, 3, iopc_104370),
    Scenario("transfer", 4, 2, transfer),
)
ROUTINE = SCENARIOS[0]


def mean_size() -> float:
    """Incidents per scenario start, roughly (repeats write two or three)."""
    total = sum(s.weight for s in SCENARIOS)
    sizes = {"repeat-contact": 2.2}
    return sum(s.weight * sizes.get(s.name, s.size) for s in SCENARIOS) / total
