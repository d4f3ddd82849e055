"""`ledger replay INCIDENT`: step through the incident, event by event, with its state."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

import click

from cli.commands.timeline import load_timeline
from cli.context import Settings, translate_errors
from cli.options import INSTANT, clock_options, make_view, policy_option

KEYS = "[n]ext/Enter  [b]ack  [j]ump to time  [q]uit"


@click.command("replay")
@click.argument("incident")
@click.option("--no-pause", is_flag=True, help="Print every step without waiting (for scripts).")
@clock_options
@policy_option
@click.pass_obj
@translate_errors
def replay_command(
    settings: Settings,
    incident: str,
    no_pause: bool,
    at: datetime | None,
    as_known_at: datetime | None,
    policy_file: str | None,
) -> None:
    """Step through the incident: the clock, the event, and the state it leaves."""
    view = make_view(at, as_known_at, policy_file)
    entries = load_timeline(settings, incident, view, with_states=True).entries
    if not entries:
        click.echo("no events", err=True)
        return
    interactive = not no_pause and sys.stdin.isatty() and sys.stdout.isatty()
    if not interactive:
        for index in range(len(entries)):
            click.echo(screen(entries, index))
            click.echo()
        return
    _interact(entries)


def _interact(entries: list[Any]) -> None:
    index = 0
    while True:
        click.clear()
        click.echo(screen(entries, index))
        click.echo(f"\n{KEYS}")
        key = click.getchar()
        if key in ("q", "Q", "\x1b", "\x03"):
            return
        if key in ("b", "B", "p"):
            index = max(0, index - 1)
        elif key in ("j", "J"):
            moment = click.prompt("jump to (RFC 3339 time)", type=INSTANT)
            before = [i for i, e in enumerate(entries) if e.at <= moment]
            index = before[-1] if before else 0
        else:
            index = min(len(entries) - 1, index + 1)


def screen(entries: list[Any], index: int) -> str:
    """One step: the clock, the event and what it changed, then the state panel."""
    from projections.analysis.describe import when

    entry = entries[index]
    lines = [
        f"step {index + 1}/{len(entries)}   clock {when(entry.event)}",
        f"  {entry.event.by or '—'}: {entry.what}",
    ]
    if entry.change:
        lines.append(f"  → {entry.change}")
    lines.append("")
    lines += panel(entry.state)
    return "\n".join(lines)


def panel(state: Any) -> list[str]:
    """The incident as it stands: status, grade, calls, units, radio, follow-ups, markers."""
    grade = state.grade
    grades = " → ".join(g.grade for g in state.grades) or "not graded"
    lines = [
        f"  incident {state.incident}: {state.status}",
        f"  grade    {grades}"
        + (f" (target {_words(grade.target)})" if grade and grade.target else ""),
    ]
    for call in state.calls:
        ended = call.how or "no end recorded"
        lines.append(f"  call     {call.call} ({call.received.channel}) {ended}")
    committed = state.committed
    for unit, unit_state in sorted(state.units.items()):
        mark = "●" if unit in committed else "○"
        lines.append(f"  unit     {mark} {unit}: {unit_state.status}")
    if not committed:
        lines.append("  units    none committed")
    for name, transmission in sorted(state.transmissions.items()):
        sent = transmission.sent
        status = "acknowledged" if transmission.ack is not None else "NOT acknowledged"
        if not sent.ack_required:
            status = "no ack needed"
        lines.append(f"  radio    {name} {sent.from_} → {sent.to}: {status}")
    for plan, follow_up in sorted(state.follow_ups.items()):
        done = "done" if follow_up.done is not None else f"due {follow_up.planned.due.isoformat()}"
        lines.append(f"  follow   {plan}: {follow_up.planned.action} ({done})")
    for match in state.markers:
        record = match.record
        standing = "active" if record.active else "removed"
        lines.append(f"  marker   {record.marker} on {record.key}: {standing}")
    return lines


def _words(delta: Any) -> str:
    from ledger.durations import describe

    return describe(delta)
