"""`ledger export`: the ledger as the canonical stream (and, later, reports)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.context import Settings, translate_errors


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl"]),
    default="jsonl",
    show_default=True,
    help="jsonl: every event as recorded, in append order, as `ledger import` takes back.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
@click.pass_obj
@translate_errors
def export_command(settings: Settings, fmt: str, output: Path | None) -> None:
    """Write the ledger to standard output or -o FILE."""
    with settings.open() as ledger:
        if output is None:
            _write(ledger, sys.stdout.buffer)
            return
        partial = output.with_name(output.name + ".partial")
        with partial.open("wb") as handle:
            _write(ledger, handle)
        partial.replace(output)  # a reader never sees half an export


def _write(ledger: object, handle: object) -> None:
    from ledger.store import Ledger

    assert isinstance(ledger, Ledger)
    write = handle.write  # type: ignore[attr-defined]
    for stored in ledger.lines():
        write(stored.line + b"\n")
