"""`ledger incidents`: one row per incident."""

from __future__ import annotations

from datetime import datetime

import click

from cli.context import Settings, translate_errors
from cli.options import INSTANT
from cli.output import emit, format_option


@click.command("incidents")
@click.option("--open", "open_only", is_flag=True, help="Only incidents not closed.")
@click.option("--grade", help="Only incidents whose current grade is this.")
@click.option("--since", type=INSTANT, help="First call at or after this time.")
@click.option("--until", type=INSTANT, help="First call at or before this time.")
@click.option("--unit", help="Only incidents this unit was committed to.")
@format_option("table", "json", "jsonl", "csv", "md")
@click.pass_obj
@translate_errors
def incidents_command(
    settings: Settings,
    open_only: bool,
    grade: str | None,
    since: datetime | None,
    until: datetime | None,
    unit: str | None,
    fmt: str,
) -> None:
    """One row per incident: reference, first call, grade, status, counts."""
    from projections import query

    with settings.open() as ledger:
        rows = query.incidents(
            ledger, open_only=open_only, grade=grade, since=since, until=until, unit=unit
        )
    records = [
        {
            "incident": row.incident,
            "first_call": row.first_call,
            "grade": row.grade,
            "status": row.status,
            "events": row.events,
            "calls": row.calls,
            "units": list(row.units),
            "findings": row.findings,
        }
        for row in rows
    ]
    emit(records, fmt, title=None, empty="no incidents match")
