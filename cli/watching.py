"""What `ledger watch` says: a line per change, for people or as JSON, and `--exec`.

People get the facts line (clock, policy, zone), then one line per change: the watch's
clock, the change (`open`, `opened`, `closed`, `withdrawn`), incident, code, severity, the
stretch and the summary. `--format jsonl` gives one JSON object per change on standard output
and nothing else: `change`, `clock`, then the finding as findings.md shapes it. Each line is
flushed at once: a pipeline reading it must not wait for a buffer to fill.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from typing import Any

import click

from cli.style import escaped, say
from cli.times import instant_text
from cli.viewing import Looking
from ledger.durations import describe
from ledger.instants import in_zone
from projections.analysis.findings import Finding
from projections.watch import Change


def change_record(change: Change) -> dict[str, Any]:
    """A change as `--format jsonl` and `--exec` carry it."""
    return {"change": change.kind, "clock": change.clock.isoformat(), **change.finding.to_json()}


def change_line(change: Change, looking: Looking) -> str:
    """A change for people: the watch's clock, the change, severity, incident, code, the
    stretch (times on the clock's day as HH:MM) and the summary."""
    finding = change.finding
    when = instant_text(change.clock, looking.zone)[:19]
    incident = finding.incident or "—"
    parts = [when, f"{change.kind:<9}", f"{finding.severity:<6}", incident, finding.code]
    return escaped("  ".join([*parts, _stretch(finding, change.clock, looking), finding.summary]))


def _stretch(finding: Finding, clock: datetime, looking: Looking) -> str:
    """`since ≈ 23:54`, or `≈ 00:54 – 03:00 (2 h 6 min)` once it has ended."""
    rough = "≈ " if finding.approximate else ""
    start = _time(finding.start, clock, looking)
    if finding.end is None:
        return f"since {rough}{start}"
    span = f"{rough}{start} – {_time(finding.end, clock, looking)}"
    if finding.end != finding.start:
        span += f" ({describe(finding.end - finding.start)})"
    return span


def _time(moment: datetime, clock: datetime, looking: Looking) -> str:
    """HH:MM (HH:MM:SS when it has seconds) on the clock's day in the display zone, else
    with its date."""
    local = in_zone(moment, looking.zone)
    text = f"{local:%H:%M}" if local.second == 0 else f"{local:%H:%M:%S}"
    if local.date() != in_zone(clock, looking.zone).date():
        text = f"{local:%Y-%m-%d} {text}"
    return text


class Teller:
    """Tells each change as it comes, and runs `--exec` for it."""

    def __init__(self, looking: Looking, fmt: str, command: str | None) -> None:
        self.looking = looking
        self.fmt = fmt
        self.command = command
        self.running: list[subprocess.Popen[bytes]] = []
        self.told_position: int | None = None

    def start(self, facts: str) -> None:
        say(escaped(facts), err=self.fmt == "jsonl")
        if self.fmt != "jsonl":
            say()

    def tell(self, change: Change) -> None:
        record = change_record(change)
        if self.fmt == "jsonl":
            _out(json.dumps(record, ensure_ascii=False))
        else:
            _out(change_line(change, self.looking))
        if self.command is not None:
            self._run(json.dumps(record, ensure_ascii=False).encode() + b"\n")

    def idle(self, position: int, clock: datetime) -> None:
        """Said on standard error once every event up to `position` is in (scripts and
        tests wait on it), each time the position moves."""
        if position != self.told_position:
            self.told_position = position
            when = instant_text(clock, self.looking.zone)
            say(f"watch: caught up to event {position} at clock {when}", err=True)

    def _run(self, document: bytes) -> None:
        """Start CMD with the change on its standard input; reap those that have finished."""
        self._reap(wait=False)
        try:
            process = subprocess.Popen(self.command or "", shell=True, stdin=subprocess.PIPE)
        except OSError as error:
            say(f"warning: --exec could not start: {error}", err=True)
            return
        assert process.stdin is not None
        try:
            process.stdin.write(document)
            process.stdin.close()
        except BrokenPipeError:  # the command did not read its input: its choice
            pass
        self.running.append(process)

    def finish(self) -> None:
        """Wait for every `--exec` command still running."""
        self._reap(wait=True)

    def _reap(self, *, wait: bool) -> None:
        """Forget the commands that have finished, saying which failed."""
        left = []
        for process in self.running:
            code = process.wait() if wait else process.poll()
            if code is None:
                left.append(process)
            elif code != 0:
                say(f"warning: --exec exited {code}", err=True)
        self.running = left


def _out(line: str) -> None:
    click.echo(line)
    sys.stdout.flush()
