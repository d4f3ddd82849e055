"""`ledger import-csv FILE --mapping MAP.toml`: a CAD export through a declarative mapping."""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cli.context import InputFailure, Settings, translate_errors
from cli.output import emit, format_option

if TYPE_CHECKING:
    from ledger.write.records import Problem, RawRecord

# From this size an export is read in a worker process while the import writes (starting one
# costs about half a second; reading rows costs about a third of importing their events).
ASIDE_FROM = 8 * 1024 * 1024
# The columns of a preview; every other field of the event goes in `fields`.
PREVIEW = ("row", "id", "type", "at", "incident", "call", "unit", "fields")


@click.command("import-csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The TOML mapping from the export's columns to events (see docs/mapping.md).",
)
@click.option("--timezone", help="IANA zone of times without an offset (overrides the mapping).")
@click.option(
    "--preview",
    type=click.IntRange(min=1),
    metavar="N",
    help="Show the events the first N rows make, and write nothing (no store is opened).",
)
@format_option("table", "json", "jsonl", "csv")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@click.option(
    "--no-views",
    is_flag=True,
    help="Leave the read models to catch up on the next read (for bulk loads).",
)
@click.pass_obj
@translate_errors
def import_csv_command(
    settings: Settings,
    file: Path,
    mapping: Path,
    timezone: str | None,
    preview: int | None,
    fmt: str,
    quiet: bool,
    no_views: bool,
) -> None:
    """Append a CAD calls-for-service CSV export, all or nothing.

    Every mistake in the mapping is listed as KEY: reason, every bad row as
    FILE:ROW: column: reason (the header is row 1); either way nothing is written (exit 2).
    Event ids come from each row's key and stage, so importing the same file again adds
    nothing. --preview N shows the events of the first N rows instead (--format applies to it).
    """
    from ledger.inputs.csv import MappingError, load_mapping, read_csv
    from ledger.inputs.csv.aside import read_csv_aside

    try:
        rules = load_mapping(mapping, timezone=timezone, export=file)
        if preview is None and _large(file):
            records = read_csv_aside(file, rules)
        else:
            records = read_csv(file, rules, rows=preview)
    except MappingError as error:
        for key, reason in error.problems:
            click.echo(f"{key}: {reason}" if key else reason, err=True)
        count = len(error.problems)
        raise InputFailure(
            f"{count} problem{'s' if count > 1 else ''} in the mapping {mapping}; "
            "nothing was imported"
        ) from None
    try:
        if preview is not None:
            _preview(records, preview, fmt)
        else:
            _import(settings, records, quiet=quiet, views=not no_views)
    except OSError as error:
        raise InputFailure(f"{file} cannot be read: {error.strerror or error}") from None


def _large(file: Path) -> bool:
    """Worth reading in a worker process: a large file, and a second core to read it on."""
    return file.stat().st_size >= ASIDE_FROM and (os.cpu_count() or 1) > 1


def _import(
    settings: Settings, records: Iterable[RawRecord | Problem], *, quiet: bool, views: bool
) -> None:
    from ledger.write.importer import import_records

    ledger = settings.open(must_exist=False)
    # Each row becomes a few dicts that live for one batch; at the default threshold (700)
    # the collector would rescan the batch in hand thousands of times, finding no garbage.
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        result = import_records(ledger, records)
    finally:
        gc.set_threshold(*thresholds)
    if not quiet:
        click.echo(
            f"added {result.added}, skipped {result.skipped} already recorded; "
            f"the ledger holds {result.events} events (chain head {result.head.hex()[:16]}…)",
            err=True,
        )
    if views:
        from cli.commands.ingest import bring_views_up_to_date

        bring_views_up_to_date(ledger)


def _preview(records: Iterable[RawRecord | Problem], rows: int, fmt: str) -> None:
    """The events as the import would check them, on stdout; problems on stderr (exit 2)."""
    from ledger.write.records import Problem
    from ledger.write.validation import validate

    events: list[dict[str, Any]] = []
    shown: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for record in records:
        if isinstance(record, Problem):
            problems.append(record)
            continue
        if isinstance(checked := validate(record), list):
            problems.extend(checked)
            continue
        assert isinstance(record.payload, dict)
        events.append(record.payload)
        shown.append(_row(record.line, record.payload))
    emit(shown, fmt, columns=PREVIEW, records=events, empty="the rows make no event")
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        count = len(problems)
        raise InputFailure(
            f"{count} problem{'s' if count > 1 else ''} in the first {rows} rows; "
            "nothing was written (preview)"
        )
    click.echo(f"{len(events)} events from the first {rows} rows; nothing was written", err=True)


def _row(line: int, payload: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"row": line}
    row |= {name: payload.get(name, "") for name in PREVIEW[1:-1]}
    rest = {k: v for k, v in payload.items() if k not in PREVIEW}
    row["fields"] = ", ".join(
        f"{key}={value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}"
        for key, value in rest.items()
    )
    return row
