"""`ledger watch`: each finding told the moment it opens and closes, as the ledger grows."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from cli.context import Settings, translate_errors
from cli.output import format_option
from cli.times import LOCAL_INSTANT, TimeGiven
from cli.viewing import ViewChoices, look, placed, view_options

if TYPE_CHECKING:
    from cli.viewing import Looking
    from projections.following import Clock


class Speed(click.ParamType[float | None]):
    """A multiple of the wall clock (60: a minute of the ledger each second), or `max`."""

    name = "N|max"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float | None:
        if value is None or isinstance(value, float):
            return value
        if str(value).strip().lower() == "max":
            return None
        try:
            speed = float(value)
        except ValueError:
            self.fail(f"{value!r} is neither a number nor max", param, ctx)
        if not speed > 0:
            self.fail(f"{value!r} is not above 0", param, ctx)
        return speed


@click.command("watch")
@click.option(
    "--clock",
    "clock_name",
    type=click.Choice(("wall", "ledger")),
    default="wall",
    show_default=True,
    help="wall: live, against the machine's clock; ledger: replay the ledger's own time.",
)
@click.option(
    "--speed",
    type=Speed(),
    metavar="N|max",
    default="1",
    show_default=True,
    help="With --clock ledger: times the wall clock (60: a minute a second), or max.",
)
@click.option(
    "--from",
    "start",
    type=LOCAL_INSTANT,
    help="With --clock ledger: where the replay starts (default: the first event's time).",
)
@click.option(
    "--until",
    type=LOCAL_INSTANT,
    help="Stop once the watch's clock reaches this time (exit 0).",
)
@click.option(
    "--exec",
    "command",
    metavar="CMD",
    help="Run CMD (with sh) for each change, the change as JSON on its standard input.",
)
@view_options(clock=False)
@format_option("table", "jsonl")
@click.pass_obj
@translate_errors
def watch_command(
    settings: Settings,
    clock_name: str,
    speed: float | None,
    start: TimeGiven | None,
    until: TimeGiven | None,
    command: str | None,
    choices: ViewChoices,
    fmt: str,
) -> None:
    """Follow the ledger as other processes append to it, and tell each finding as it opens,
    closes or is withdrawn (docs/cli.md says what each line holds).

    Findings are those `ledger findings --as-known-at CLOCK` gives, at a clock that moves:
    the wall clock, or the ledger's own from --from at --speed. A finding that waits on a
    deadline opens when the clock passes it, event or no event. Stops at --until, or on
    SIGINT/SIGTERM (exit 0). On standard error: `watch: caught up to event N …` whenever it
    has taken in every event and waits.
    """
    from cli.watching import Teller
    from ledger.store.notify import waiter_for
    from projections.following import Idle, LedgerClock, WallClock, follow
    from projections.watch import Watcher, first_time

    given = click.get_current_context().get_parameter_source("speed")
    if clock_name == "wall" and (start is not None or given is ParameterSource.COMMANDLINE):
        raise click.UsageError("--from and --speed go with --clock ledger")
    stop = threading.Event()
    with settings.open() as ledger, _stopping_on_signals(stop):
        looking = look(ledger, choices)
        ends = placed("--until", until, looking)
        clock: Clock = WallClock()
        if clock_name == "ledger":
            begins = placed("--from", start, looking) or first_time(ledger)
            if begins is None:
                raise click.UsageError("the ledger holds no events: give --from")
            clock = LedgerClock(begins, speed)
        teller = Teller(looking, fmt, command)
        teller.start(_facts(looking, clock_name, speed))
        waiter = waiter_for(ledger.backend)
        try:
            watcher = Watcher(ledger, looking.view.policy)
            for report in follow(ledger, watcher, clock, waiter, until=ends, stop=stop):
                if isinstance(report, Idle):
                    teller.idle(report.position, report.clock)
                else:
                    teller.tell(report)
        finally:
            waiter.close()
            teller.finish()


def _facts(looking: Looking, clock_name: str, speed: float | None) -> str:
    pace = "" if clock_name == "wall" else f" at {'max' if speed is None else f'{speed:g}'}×"
    return (
        f"clock {clock_name}{pace} · policy {looking.policy_name} · "
        f"zone {looking.zone_name} ({looking.zone_source})"
    )


@contextmanager
def _stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set `stop` while inside: the watch ends cleanly, exit 0."""

    def handle(number: int, frame: FrameType | None) -> None:
        stop.set()

    before = {number: signal.signal(number, handle) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
