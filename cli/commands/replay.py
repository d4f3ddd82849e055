"""`ledger replay INCIDENT`: step through the incident, event by event, with its state."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from cli import completion
from cli.context import Settings, translate_errors
from cli.output import format_option, heading
from cli.replay_view import screen, step_record
from cli.style import say
from cli.viewing import Looking, ViewChoices, look, view_options

if TYPE_CHECKING:
    from projections.replay import Step

KEYS = "[n]ext/Enter  [b]ack  [j]ump to time  [q]uit"


@click.command("replay")
@click.argument("incident", shell_complete=completion.incidents)
@click.option("--no-pause", is_flag=True, help="Print every step without waiting (for scripts).")
@view_options()
@format_option("text", "jsonl", default="text")
@click.pass_obj
@translate_errors
def replay_command(
    settings: Settings, incident: str, no_pause: bool, choices: ViewChoices, fmt: str
) -> None:
    """Step through the incident: the clock, the event, and the state it leaves.

    Besides one step per event there is a step each time the clock passes a deadline (a
    response target, an acknowledgement window), where a finding may open with no event at
    all; every step names the findings that open or close there.
    """
    from cli.header import facts, pending_line
    from projections import query

    with settings.open() as ledger:
        looking = look(ledger, choices)
        query.check_incidents(ledger, [incident])
        steps = query.replay(ledger, incident, looking.view)
        clock = query.clock(ledger, looking.view)
    if fmt == "jsonl":
        say(facts(looking, clock), err=True)
        for index in range(len(steps)):
            click.echo(json.dumps(step_record(steps, index), ensure_ascii=False))
        return
    if not steps:
        say("no events", err=True)
        return
    interactive = not no_pause and sys.stdin.isatty() and sys.stdout.isatty()
    if not interactive:
        line = pending_line(steps[-1].pending, looking, clock, incidents=False)
        heading(incident, [facts(looking, clock), *([line] if line else [])])
        for index in range(len(steps)):
            say(screen(steps, index, looking))
            say()
        return
    interact(steps, looking)


def interact(steps: list[Step], looking: Looking) -> None:
    """n/Enter next, b back, j jump to a time (read in the display zone), q quit."""
    from cli.times import LOCAL_INSTANT
    from cli.viewing import placed

    index = 0
    while True:
        click.clear()
        say(screen(steps, index, looking))
        say(f"\n{KEYS}")
        key = click.getchar()
        if key in ("q", "Q", "\x1b", "\x03"):
            return
        if key in ("b", "B", "p"):
            index = max(0, index - 1)
        elif key in ("j", "J"):
            given = click.prompt(
                f"jump to (in {looking.zone_name} unless offset)", type=LOCAL_INSTANT
            )
            moment = placed("jump to", given, looking)
            before = [i for i, step in enumerate(steps) if moment is None or step.clock <= moment]
            index = before[-1] if before else 0
        else:
            index = min(len(steps) - 1, index + 1)
