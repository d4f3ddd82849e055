"""`ledger keygen KEY`: an Ed25519 key pair for signing checkpoints and bundles."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.context import translate_errors
from cli.output import format_option


@click.command("keygen")
@click.argument("key", metavar="KEY", type=click.Path(dir_okay=False, path_type=Path))
@format_option("table", "json")
@translate_errors
def keygen_command(key: Path, fmt: str) -> None:
    """Make a key pair: the private key in KEY (readable by you only), the public one in KEY.pub.

    Neither file may exist: a key is never overwritten. Keep KEY off the database server;
    give KEY.pub to whoever checks the ledger or its bundles. Opens no ledger.
    """
    from ledger.keys import generate

    signer, public = generate(key)
    if fmt == "json":
        click.echo(json.dumps({"key": str(key), "public_key": str(public), "key_id": signer.id}))
        return
    click.echo(f"wrote {key} (private: keep it secret) and {public} (public); key id {signer.id}")
