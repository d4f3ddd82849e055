"""`ledger incidents`: one row per incident."""

from __future__ import annotations

from typing import Any

import click

from cli import completion
from cli.context import Settings, translate_errors
from cli.output import FOR_PEOPLE, emit, format_option
from cli.times import LOCAL_INSTANT, TimeGiven
from cli.viewing import ViewChoices, look, view_options

COLUMNS = ("incident", "first call", "grade", "status", "events", "calls", "units", "findings")
MACHINE = ("incident", "first_call", "grade", "status", "events", "calls", "units", "findings")


@click.command("incidents")
@click.option("--open", "open_only", is_flag=True, help="Only incidents not closed.")
@click.option("--grade", help="Only incidents whose current grade is this.")
@click.option("--since", type=LOCAL_INSTANT, help="First call at or after this time.")
@click.option("--until", type=LOCAL_INSTANT, help="First call at or before this time.")
@click.option(
    "--unit", shell_complete=completion.units, help="Only incidents this unit was committed to."
)
@view_options()
@format_option("table", "json", "jsonl", "csv", "md")
@click.pass_obj
@translate_errors
def incidents_command(
    settings: Settings,
    open_only: bool,
    grade: str | None,
    since: TimeGiven | None,
    until: TimeGiven | None,
    unit: str | None,
    choices: ViewChoices,
    fmt: str,
) -> None:
    """One row per incident, by first call: grade, status, counts, findings at the clock."""
    from cli.grades import ledger_grades, warn_unknown_grades
    from cli.header import facts, pending_line
    from cli.viewing import placed
    from projections import query

    with settings.open() as ledger:
        looking = look(ledger, choices)
        first, last = placed("--since", since, looking), placed("--until", until, looking)
        rows = query.incidents(
            ledger,
            looking.view,
            open_only=open_only,
            grade=grade,
            since=first,
            until=last,
            unit=unit,
        )
        clock = query.clock(ledger, looking.view)
        waiting = query.pending(ledger, looking.view) if fmt in FOR_PEOPLE else []
        grades = ledger_grades(ledger.backend)
    warn_unknown_grades(grades, looking.view.policy, looking.policy_name)
    header = [facts(looking, clock)]
    line = pending_line(waiting, looking, clock, incidents=True)
    if line is not None:
        header.append(line)
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
    emit(
        [_row(record, looking.zone) for record in records],
        fmt,
        columns=COLUMNS,
        records=records,
        sheet=records,
        sheet_columns=MACHINE,
        header=header,
        empty=_nothing(grade, grades),
    )


def _row(record: dict[str, Any], zone: Any) -> dict[str, Any]:
    from cli.times import shown

    first = record["first_call"]
    return {**record, "first call": shown(first, zone, None, None) if first else ""}


def _nothing(grade: str | None, grades: list[str]) -> str:
    if grade is not None and grade not in grades:
        known = ", ".join(grades) or "none"
        return f"no incidents match: no incident was ever graded {grade!r} (grades used: {known})"
    return "no incidents match"
