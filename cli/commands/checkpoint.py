"""`ledger checkpoint --key KEY`: sign what the ledger holds now, and keep the signature in it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from cli.context import Settings, translate_errors
from cli.output import format_option
from cli.signatures import signing_key_option


@click.command("checkpoint")
@signing_key_option()
@format_option("table", "json")
@click.pass_obj
@translate_errors
def checkpoint_command(settings: Settings, key: Path, fmt: str) -> None:
    """Sign the ledger's event count, chain head and Merkle root with the time, and store it.

    The checkpoint is appended to the ledger (append-only, like the events) and printed. Exit 3,
    signing nothing, when the events no longer chain to their head or no longer match an
    earlier checkpoint. `verify --public-key` later checks every checkpoint still holds.
    """
    from ledger.keys import load_signer
    from ledger.store.proofs import make_checkpoint

    signer = load_signer(key)
    with settings.open() as ledger:
        checkpoint = make_checkpoint(ledger, signer)
    if fmt == "json":
        click.echo(json.dumps(checkpoint.as_json()))
        return
    click.echo(
        f"checkpoint #{checkpoint.number}: {checkpoint.events} events, chain head "
        f"{checkpoint.chain_head.hex()}, Merkle root {checkpoint.merkle_root.hex()}, "
        f"signed {checkpoint.at} by key {checkpoint.key}"
    )
