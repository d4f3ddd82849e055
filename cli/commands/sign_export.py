"""`ledger sign-export DIR --key KEY`: sign a bundle's manifest, once it checks out."""

from __future__ import annotations

from pathlib import Path

import click

from cli.context import Settings, StoreFailure, translate_errors
from cli.signatures import signing_key_option


@click.command("sign-export")
@click.argument(
    "directory", metavar="DIR", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@signing_key_option()
@click.pass_obj
@translate_errors
def sign_export_command(settings: Settings, directory: Path, key: Path) -> None:
    """Write DIR/manifest.sig, an Ed25519 signature over manifest.json's exact bytes.

    The bundle is first checked against the ledger as `verify-export` would: a bundle that
    does not match is never signed (exit 3). Then `verify-export --public-key KEY.pub` refuses
    any manifest changed after signing, even one whose hashes were recomputed.
    """
    from ledger.keys import load_signer
    from projections.exports.bundle_check import verify_bundle
    from projections.exports.evidence import sign_manifest

    signer = load_signer(key)
    with settings.open() as ledger:
        check = verify_bundle(directory, ledger)
    if not check.ok:
        for problem in check.problems:
            click.echo(problem, err=True)
        raise StoreFailure("the bundle does not match the ledger: not signed")
    sign_manifest(directory, signer)
    click.echo(f"wrote {directory / 'manifest.sig'}: manifest.json signed by key {signer.id}")
