"""`ledger import FILE…`: append recorded streams, all or nothing."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import IO, Any

import click

from cli.context import Settings, translate_errors
from cli.progress import ByteProgress

STDIN = "-"


@click.command("import")
@click.argument("files", nargs=-1, required=True, metavar="FILE…")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@click.option(
    "--no-views",
    is_flag=True,
    help="Leave the read models to catch up on the next read (for bulk loads).",
)
@click.pass_obj
@translate_errors
def import_command(settings: Settings, files: tuple[str, ...], quiet: bool, no_views: bool) -> None:
    """Append streams (.jsonl, .jsonl.gz, or - for standard input) to the ledger.

    All files are one import: if any line of any file is invalid, nothing is written and
    every problem (up to 50) is listed as FILE:LINE: field: reason. Events whose id is
    already recorded with the same content are skipped.
    """
    with settings.open(must_exist=False) as ledger:
        _import(ledger, files, quiet=quiet, no_views=no_views)


def _import(ledger: Any, files: tuple[str, ...], *, quiet: bool, no_views: bool) -> None:
    from ledger.inputs.jsonl import open_stream, read_jsonl
    from ledger.write.importer import import_records
    from ledger.write.records import Problem, RawRecord

    with ExitStack() as stack:
        progress = stack.enter_context(ByteProgress(_total_size(files)))
        streams: list[tuple[IO[bytes], IO[bytes], str]] = []
        for name in files:
            if name == STDIN:
                streams.append((sys.stdin.buffer, sys.stdin.buffer, "<stdin>"))
                continue
            stream, raw = open_stream(Path(name))
            stack.enter_context(raw)
            streams.append((stream, raw, name))

        def records() -> Iterator[RawRecord | Problem]:
            for stream, raw, origin in streams:
                yield from read_jsonl(progress.track(stream, raw), origin)

        result = import_records(ledger, records())
    if not quiet:
        click.echo(
            f"added {result.added}, skipped {result.skipped} already recorded; "
            f"the ledger holds {result.events} events (chain head {result.head.hex()[:16]}…)",
            err=True,
        )
    if not no_views:
        bring_views_up_to_date(ledger)


def bring_views_up_to_date(ledger: Any) -> None:
    """Catch the read models up; the import is complete whatever happens here.

    An import that said "added" has committed: a store error while its views are brought up
    to date (another process writing them, a lock held too long) is a warning, and the next
    read does the work.
    """
    from ledger.errors import StoreError
    from projections.readmodels.runner import catch_up

    try:
        catch_up(ledger)
    except StoreError as error:
        click.echo(
            f"warning: the import is complete, but the views are not up to date yet ({error}); "
            "the next read brings them up to date",
            err=True,
        )


def _total_size(files: tuple[str, ...]) -> int:
    total = 0
    for name in files:
        if name != STDIN:
            with suppress(OSError):  # an unreadable file is reported when it is opened
                total += Path(name).stat().st_size
    return total
