"""`ledger import-csv FILE --mapping MAP.toml`: a CAD export through a declarative mapping."""

from __future__ import annotations

from pathlib import Path

import click

from cli.context import Settings, translate_errors


@click.command("import-csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--mapping",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The TOML mapping from the export's columns to events (see mappings/README.md).",
)
@click.option("--timezone", help="IANA zone of times without an offset (overrides the mapping).")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
@click.pass_obj
@translate_errors
def import_csv_command(
    settings: Settings, file: Path, mapping: Path, timezone: str | None, quiet: bool
) -> None:
    """Append a CAD calls-for-service CSV export, all or nothing.

    Every bad row is reported as FILE:ROW: column: reason (the header is row 1); event ids
    come from each row's key and stage, so importing the same file again adds nothing.
    """
    from ledger.inputs.csv import MappingError, load_mapping, read_csv
    from ledger.write.importer import import_records
    from projections.readmodels.runner import catch_up

    try:
        rules = load_mapping(mapping, timezone=timezone)
        records = read_csv(file, rules)
    except MappingError as error:
        raise click.BadParameter(str(error), param_hint="--mapping") from None
    ledger = settings.open(must_exist=False)
    result = import_records(ledger, records)
    if not quiet:
        click.echo(
            f"added {result.added}, skipped {result.skipped} already recorded; "
            f"the ledger holds {result.events} events (chain head {result.head.hex()[:16]}…)",
            err=True,
        )
    catch_up(ledger)
