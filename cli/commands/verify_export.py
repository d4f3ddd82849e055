"""`ledger verify-export DIR`: does a bundle still match its manifest, and the ledger?"""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.context import Settings, StoreFailure, translate_errors
from cli.output import format_option
from cli.signatures import load_keys, public_key_option


@click.command("verify-export")
@click.argument(
    "directory", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option(
    "--offline",
    is_flag=True,
    help="Check the files against the manifest only, without a ledger (a whole-ledger "
    "ledger.jsonl is still chained and compared with the manifest's chain head, and each "
    "event's inclusion proof checked against the checkpoint's Merkle root).",
)
@public_key_option(
    "Also check the signature over manifest.json and the checkpoint's signature with this "
    "public key (repeatable); every exported event must then be proved in the signed checkpoint."
)
@format_option("table", "json")
@click.pass_obj
@translate_errors
def verify_export_command(
    settings: Settings, directory: Path, offline: bool, public_keys: tuple[Path, ...], fmt: str
) -> None:
    """Check a bundle's files against manifest.json and its chain head against the ledger.

    Exit 3 naming every difference: a changed, missing or added file, a signature or inclusion
    proof that does not hold, or a chain head the ledger no longer has (another history). A
    ledger that has only grown since the export is not a difference: it is said, exit 0.
    """
    from projections.exports.bundle_check import verify_bundle

    keys = load_keys(public_keys)
    if offline:
        check = verify_bundle(directory, None, keys)
    else:
        with settings.open() as ledger:
            check = verify_bundle(directory, ledger, keys)
    if fmt == "json":
        report = {
            "ok": check.ok,
            "bundle": str(directory),
            "files": check.files,
            "chain_head": check.head,
            "events": check.events,
            "ledger_checked": check.ledger_checked,
            "signed_by": check.signed_by,
            "proved_events": check.proved,
            "notes": check.notes,
            "problems": check.problems,
        }
        click.echo(json.dumps(report))
    if not check.ok:
        for problem in check.problems:
            click.echo(problem, err=True)
        noun = "difference" if len(check.problems) == 1 else "differences"
        raise StoreFailure(f"the bundle does not match: {len(check.problems)} {noun}, listed above")
    if fmt == "table":
        against = "the ledger" if check.ledger_checked else "nothing (offline)"
        click.echo(
            f"ok: {check.files} files match manifest.json; chain head {check.head} "
            f"({check.events} events) checked against {against}"
        )
        if check.signed_by:
            click.echo(f"signed: manifest.json by key {check.signed_by}")
        if check.proved:
            click.echo(f"proved: {check.proved} events are in the signed checkpoint's Merkle tree")
        for note in check.notes:
            click.echo(note)
