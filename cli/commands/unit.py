"""`ledger unit UNIT`: one unit's movements across incidents."""

from __future__ import annotations

import click

from cli.context import Settings, translate_errors
from cli.output import emit, format_option


@click.command("unit")
@click.argument("unit")
@format_option("table", "json", "jsonl", "csv", "md")
@click.pass_obj
@translate_errors
def unit_command(settings: Settings, unit: str, fmt: str) -> None:
    """Every allocation, journey, arrival, diversion, clearance and radio message of a unit."""
    from projections import query
    from projections.analysis.describe import describe_event, when

    with settings.open() as ledger:
        query.check_unit(ledger, unit)
        effective = query.unit_events(ledger, unit)
    rows = [
        {
            "time": when(item.event),
            "incident": ", ".join(_incidents(item.event)),
            "what": describe_event(item.event),
            "source": item.event.source,
        }
        for item in effective
    ]
    records = [{**row, "event": item.event.id} for row, item in zip(rows, effective, strict=True)]
    emit(rows, fmt, records=records, title=f"Unit {unit}")


def _incidents(event: object) -> tuple[str, ...]:
    from ledger.events import LedgerEvent, incidents_named

    assert isinstance(event, LedgerEvent)
    return incidents_named(event)
