"""`ledger simulate`: a synthetic control-room stream and the findings it is known to hold."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from cli.options import INSTANT


@click.command("simulate")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same stream.")
@click.option("--incidents", type=click.IntRange(min=1), default=1000, show_default=True)
@click.option("--start", type=INSTANT, help="When the simulated control room opens.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The stream (JSON Lines; gzip when the name ends in .gz).",
)
@click.option(
    "--truth",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The ground truth: the findings the stream holds at its own clock (JSON).",
)
@click.option(
    "--policy-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the policy the truth assumes (TOML), for `ledger findings --policy`.",
)
def simulate_command(
    seed: int,
    incidents: int,
    start: datetime | None,
    output: Path,
    truth: Path,
    policy_out: Path | None,
) -> None:
    """Write a realistic synthetic stream and its ground-truth findings.

    Calls arrive by hour of day with a grade mix; units work shifts with travel times; some
    are diverted to more urgent calls (by control, or by the unit over the radio, some
    unacknowledged), replaced or not; calls are cut off with and without callbacks; callers
    ring again; markers come and go; follow-ups are kept or missed. The truth is what the
    simulator injected, computed without the findings rules: import the stream and
    `ledger findings --format json` must reproduce it.
    """
    from simulator import simulate, write_simulation

    sim = simulate(seed=seed, incidents=incidents, start=start)
    write_simulation(sim, output, truth)
    if policy_out is not None:
        policy_out.write_text(sim.policy.to_toml(), encoding="utf-8")
    click.echo(
        f"wrote {len(sim.events)} events for {incidents} incidents to {output}, "
        f"{len(sim.truth)} findings to {truth} (clock {sim.clock})",
        err=True,
    )
