"""`ledger timeline INCIDENT`: the incident's events in time order, with what each changed."""

from __future__ import annotations

from typing import Any

import click

from cli import completion
from cli.context import Settings, translate_errors
from cli.output import FOR_PEOPLE, emit, format_option
from cli.viewing import Looking, ViewChoices, look, view_options

COLUMNS = ("time", "who", "what happened", "what it changed")
# `--format csv`: the instant as recorded and how exact it is, never a display string.
SHEET = (
    "at",
    "precision",
    "uncertainty",
    "event",
    "type",
    "who",
    "what happened",
    "what it changed",
)


@click.command("timeline")
@click.argument("incident", shell_complete=completion.incidents)
@view_options()
@format_option("table", "json", "jsonl", "csv", "md")
@click.pass_obj
@translate_errors
def timeline_command(settings: Settings, incident: str, choices: ViewChoices, fmt: str) -> None:
    """The incident's events in time order: when, who, what happened, what it changed.

    An event naming two incidents (a diversion, a link) appears in both. Corrected entries
    show the old value → the new one and who corrected it; retracted entries are left out.
    json and jsonl give the events as imported (corrected values applied, `corrected_by`
    listing the corrections).
    """
    from cli.header import facts, pending_line
    from projections import query

    with settings.open() as ledger:
        looking = look(ledger, choices)
        query.check_incidents(ledger, [incident])
        found = query.timeline(ledger, incident, looking.view)
        clock = query.clock(ledger, looking.view)
        waiting = query.pending(ledger, looking.view, [incident]) if fmt in FOR_PEOPLE else []
    header = [facts(looking, clock)]
    line = pending_line(waiting, looking, clock, incidents=False)
    if line is not None:
        header.append(line)
    pairs = list(zip(found.rows, found.records, strict=True))
    emit(
        [{**row, "time": when(record, looking)} for row, record in pairs],
        fmt,
        columns=COLUMNS,
        records=found.records,
        sheet=[_sheet(row, record) for row, record in pairs],
        sheet_columns=SHEET,
        title=incident,
        header=header,
        empty="no events",
    )


def when(record: dict[str, Any], looking: Looking) -> str:
    """An event's time for people: in the display zone, `≈` when coarse, `±` when said."""
    from cli.times import shown

    return shown(record["at"], looking.zone, record.get("precision"), record.get("uncertainty"))


def _sheet(row: dict[str, str], record: dict[str, Any]) -> dict[str, Any]:
    return {
        "at": record["at"],
        "precision": record.get("precision", "second"),
        "uncertainty": record.get("uncertainty"),
        "event": record["id"],
        "type": record["type"],
        "who": row["who"],
        "what happened": row["what happened"],
        "what it changed": row["what it changed"],
    }
