"""`ledger unit UNIT`: one unit's movements across incidents."""

from __future__ import annotations

from typing import Any

import click

from cli import completion
from cli.context import Settings, translate_errors
from cli.output import emit, format_option
from cli.viewing import ViewChoices, look, view_options

COLUMNS = ("time", "incident", "what", "source")
# json, jsonl and csv: the instant as recorded and how exact it is, never a display string.
MACHINE = ("at", "precision", "uncertainty", "event", "type", "incidents", "what", "source")


@click.command("unit")
@click.argument("unit", shell_complete=completion.units)
@view_options(policy=False)
@format_option("table", "json", "jsonl", "csv", "md")
@click.pass_obj
@translate_errors
def unit_command(settings: Settings, unit: str, choices: ViewChoices, fmt: str) -> None:
    """Every allocation, journey, arrival, diversion, clearance and radio message of a unit."""
    from cli.header import facts
    from cli.times import shown
    from projections import query
    from projections.analysis.describe import describe_event

    with settings.open() as ledger:
        looking = look(ledger, choices)
        query.check_unit(ledger, unit)
        effective = query.unit_events(ledger, unit, looking.view)
        clock = query.clock(ledger, looking.view)
    records = [_record(item.event, describe_event(item.event)) for item in effective]
    rows = [
        {
            "time": shown(r["at"], looking.zone, r["precision"], r["uncertainty"]),
            "incident": ", ".join(r["incidents"]),
            "what": r["what"],
            "source": r["source"],
        }
        for r in records
    ]
    emit(
        rows,
        fmt,
        columns=COLUMNS,
        records=records,
        sheet=records,
        sheet_columns=MACHINE,
        title=f"Unit {unit}",
        header=[facts(looking, clock, policy=False)],
        empty="no events",
    )


def _record(event: Any, what: str) -> dict[str, Any]:
    from ledger.events import incidents_named

    return {
        "at": event.at.isoformat(),
        "precision": event.precision,
        "uncertainty": event.uncertainty,
        "event": event.id,
        "type": event.type,
        "incidents": list(incidents_named(event)),
        "what": what,
        "source": event.source,
    }
