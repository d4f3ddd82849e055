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
    from ledger.index import EARLIEST, LATEST
    from ledger.store.ledger import decode_all
    from projections import query as views
    from projections.analysis.describe import describe_event, when
    from projections.analysis.effective import effective_events

    with settings.open() as ledger:
        views.refresh(ledger)
        views.check_unit(ledger, unit)
        events = decode_all(ledger.backend.by_windows([(f"u:{unit}", EARLIEST, LATEST)]))
        targets = ledger.backend.by_refs([f"e:{e.id}" for e in events])
        effective = effective_events([*events, *decode_all(targets)])
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
