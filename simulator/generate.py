"""Orchestration: calls arrive through the day, each becomes a scenario's story; then the
stories are judged into the ground truth, valid at the stream's own clock."""

from __future__ import annotations

import gzip
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from simulator.clock import epoch, rfc3339
from simulator.context import Ctx
from simulator.judge_ledger import judge_all
from simulator.mix import next_arrival
from simulator.policy import DEFAULT_POLICY, SimPolicy
from simulator.scenarios import ROUTINE, SCENARIOS, mean_size

DEFAULT_START = datetime.fromisoformat("2024-03-01T00:00:00+00:00")
PER_DAY = 150.0  # incidents a day: a borough control room


@dataclass
class Simulation:
    events: list[dict[str, Any]]  # stream.md objects, in append order
    truth: list[dict[str, Any]]  # findings.md objects, sorted as `ledger findings` sorts
    clock: str  # the evaluation clock the truth is valid at: the latest at or recorded_at
    scenarios: dict[str, int] = field(default_factory=dict)  # scenario:variant -> how many
    policy: SimPolicy = DEFAULT_POLICY


def simulate(
    *,
    seed: int,
    incidents: int,
    start: datetime | None = None,
    policy_grades: Mapping[str, str | None] | None = None,
    policy: SimPolicy | None = None,
    per_day: float = PER_DAY,
) -> Simulation:
    """A control room's stream of `incidents` incidents and the findings it holds.

    `policy_grades` (as in a policy file's `[grades]`) or a whole `policy` set the thresholds
    the truth is computed for; `SimPolicy.to_toml()` writes them for `--policy`.
    """
    if incidents < 0:
        raise ValueError("incidents must not be negative")
    if policy is None:
        policy = SimPolicy.from_grades(policy_grades) if policy_grades else DEFAULT_POLICY
    ctx = Ctx(seed, policy)
    rng = ctx.rng
    t = epoch(start or DEFAULT_START)
    weights = [s.weight for s in SCENARIOS]
    rate = per_day / mean_size()
    written = 0
    while written < incidents:
        t = next_arrival(rng, t, rate)
        scenario = rng.choices(SCENARIOS, weights=weights)[0]
        if scenario.size > incidents - written:
            scenario = ROUTINE
        written += scenario.write(ctx, t)
    judge_all(ctx)
    ctx.scenarios["world:mutual-aid-jobs"] = ctx.units.lent
    if not ctx.rec.events:
        return Simulation([], [], rfc3339(t), {}, policy)
    clock = ctx.rec.clock()
    return Simulation(
        events=ctx.rec.in_append_order(),
        truth=ctx.truth.settle(clock),
        clock=rfc3339(clock),
        scenarios=dict(sorted(ctx.scenarios.items())),
        policy=policy,
    )


def write_simulation(sim: Simulation, stream_path: Path, truth_path: Path) -> None:
    """The stream as JSON Lines (gzip when the name ends `.gz`), the truth as a JSON array."""
    lines = "".join(json.dumps(ev, ensure_ascii=False) + "\n" for ev in sim.events)
    data = lines.encode("utf-8")
    if stream_path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    stream_path.write_bytes(data)
    truth_path.write_text(json.dumps(sim.truth, indent=2, ensure_ascii=False) + "\n", "utf-8")
