"""`ledger board`: the board at a moment, every unit and what held it, every open incident."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import click

from cli.context import Settings, translate_errors
from cli.output import emit
from cli.viewing import Looking, ViewChoices, look, view_options

if TYPE_CHECKING:
    from ledger.events import LedgerEvent
    from projections.board import Assigned, Board, Held, Open

UNIT_COLUMNS = ("unit", "status", "incident", "grade", "since", "for")
INCIDENT_COLUMNS = (
    "incident",
    "grade",
    "status",
    "first call",
    "waited",
    "target",
    "time left",
    "units",
)


class Lookback(click.ParamType[timedelta]):
    name = "DURATION"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from ledger.durations import DurationError, parse_duration

        if isinstance(value, timedelta):
            return value
        try:
            return parse_duration(value)
        except DurationError as error:
            self.fail(str(error), param, ctx)


@click.command("board")
@click.option(
    "--area",
    metavar="TEXT",
    help="Only incidents whose call address holds these words (folded as addresses are) or "
    "whose calls carry this `area`, and the units they hold or last held.",
)
@click.option(
    "--lookback",
    type=Lookback(),
    default="PT24H",
    show_default=True,
    help="The incidents with an event in this stretch before the clock are on the board "
    "(ISO 8601 duration).",
)
@view_options()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "jsonl", "md", "html"]),
    default="table",
    show_default=True,
    help="table or md for people, html for a page to keep or print; json or jsonl for scripts.",
)
@click.pass_obj
@translate_errors
def board_command(
    settings: Settings,
    area: str | None,
    lookback: timedelta,
    choices: ViewChoices,
    fmt: str,
) -> None:
    """The board at a moment: why no one was free.

    Every unit and what held it at the clock (`--at T`, or `--as-known-at T` for what the
    control room's screen could show): the incident, its grade, since when, and whether the
    unit was allocated, en route or at scene, or free. Then every incident open at the clock,
    most urgent first: its grade, the time since its first call, the time left to its
    response target (negative once missed) and its units, including those it had that were
    committed elsewhere by then.
    """
    from cli.header import facts
    from projections import query
    from projections.board import board, in_area

    with settings.open() as ledger:
        looking = look(ledger, choices)
        clock = query.clock(ledger, looking.view)
        if clock is None:
            raise click.UsageError("the ledger holds no events: there is no board to show")
        shown = board(ledger, looking.view, clock, lookback)
    if area is not None:
        shown = in_area(shown, area)
    header = [facts(looking, clock), _summary(shown, area), *_plainly(shown)]
    units = [_unit_row(u, shown.at, looking) for u in shown.units]
    incidents = [_incident_row(o, shown.at, looking) for o in shown.incidents]
    if fmt == "html":
        from projections.exports.board_html import board_page

        click.echo(
            board_page(
                header,
                (UNIT_COLUMNS, units),
                (INCIDENT_COLUMNS, incidents),
                _at(clock, looking),
            ),
            nl=False,
        )
        return
    # Each record carries the clock it was computed at: `seconds_left` and the statuses
    # mean nothing without it, and a script should not have to read standard error.
    records = [_unit_record(u, shown.at) for u in shown.units]
    records += [_incident_record(o, shown.at) for o in shown.incidents]
    if fmt in ("json", "jsonl"):
        emit(records, fmt, header=header)
        return
    at = _at(clock, looking)
    emit(units, fmt, columns=UNIT_COLUMNS, title=f"Units at {at}", header=header, empty="no units")
    click.echo()
    emit(
        incidents,
        fmt,
        columns=INCIDENT_COLUMNS,
        title=f"Incidents open at {at}, most urgent first",
        empty="no incident open",
    )


def _at(clock: datetime, looking: Looking) -> str:
    from cli.times import minute_text

    return minute_text(clock, looking.zone)


def _summary(shown: Board, area: str | None) -> str:
    from ledger.durations import describe

    committed = sum(u.status != "free" for u in shown.units)
    waiting = sum(o.status == "waiting" for o in shown.incidents)
    where = f" in {area!r}" if area else ""
    return (
        f"{_count(len(shown.units), 'unit')}{where}: {committed} committed, "
        f"{len(shown.units) - committed} free · {_count(len(shown.incidents), 'incident')} "
        f"open, {waiting} with no unit committed · looking back {describe(shown.lookback)}"
    )


def _plainly(shown: Board) -> list[str]:
    """The line that answers "why was no one sent", when the board says so."""
    waiting = [o.incident for o in shown.incidents if o.status == "waiting"]
    if not shown.units or not waiting or any(u.status == "free" for u in shown.units):
        return []
    return [
        f"every unit was committed while {_count(len(waiting), 'incident')} waited with none: "
        + ", ".join(waiting)
    ]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _time(event: LedgerEvent, at: datetime, looking: Looking) -> str:
    """`23:06` on the clock's day in the display zone, else `2024-01-12 23:06`; `≈` when the
    time is coarser than a minute."""
    from ledger.instants import in_zone

    local, today = in_zone(event.at, looking.zone), in_zone(at, looking.zone)
    text = f"{local:%H:%M}" if local.date() == today.date() else f"{local:%Y-%m-%d %H:%M}"
    return ("≈ " if event.approximate else "") + text


def _unit_row(unit: Held, at: datetime, looking: Looking) -> dict[str, str]:
    from ledger.durations import describe

    return {
        "unit": unit.unit,
        "status": unit.status.replace("-", " "),
        "incident": unit.incident or "",
        "grade": unit.grade or "",
        "since": _time(unit.since, at, looking),
        "for": describe(at - unit.since.at),
    }


def _incident_row(item: Open, at: datetime, looking: Looking) -> dict[str, str]:
    from ledger.durations import describe

    if item.arrival is not None:
        left = f"attended {_time(item.arrival, at, looking)}"
    elif item.deadline is None:
        left = "no target"
    else:
        left = describe(item.deadline - at)
        left += " (missed)" if item.deadline < at else ""
    target = describe(item.deadline - item.first_call.at) if item.deadline else ""
    return {
        "incident": item.incident,
        "grade": item.grade or "",
        "status": item.status.replace("-", " "),
        "first call": _time(item.first_call, at, looking),
        "waited": describe(at - item.first_call.at),
        "target": target,
        "time left": left,
        "units": "; ".join(_assigned(a) for a in item.units) or "none",
    }


def _assigned(unit: Assigned) -> str:
    if unit.elsewhere is not None:
        return f"{unit.unit} committed elsewhere ({unit.elsewhere})"
    return f"{unit.unit} {unit.status.replace('-', ' ')}"


def _instant(event: LedgerEvent | None, name: str) -> dict[str, Any]:
    """`name` (ISO 8601) and `name_precision` of an event's time; nulls without one."""
    if event is None:
        return {name: None, f"{name}_precision": None}
    return {name: event.at.isoformat(), f"{name}_precision": event.precision}


def _unit_record(unit: Held, at: datetime) -> dict[str, Any]:
    return {
        "kind": "unit",
        "clock": at.isoformat(),
        "unit": unit.unit,
        "status": unit.status,
        "incident": unit.incident,
        "grade": unit.grade,
        **_instant(unit.since, "since"),
        "since_event": unit.since.id,
    }


def _incident_record(item: Open, at: datetime) -> dict[str, Any]:
    left = None if item.deadline is None else int((item.deadline - at).total_seconds())
    return {
        "kind": "incident",
        "clock": at.isoformat(),
        "incident": item.incident,
        "grade": item.grade,
        "status": item.status,
        **_instant(item.first_call, "first_call"),
        "seconds_since_call": int((at - item.first_call.at).total_seconds()),
        "deadline": item.deadline.isoformat() if item.deadline else None,
        "seconds_left": left,
        **_instant(item.arrival, "first_arrival"),
        "units": [
            {"unit": a.unit, "status": a.status, "elsewhere": a.elsewhere} for a in item.units
        ],
    }
