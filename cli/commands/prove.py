"""`ledger prove`: an event's inclusion proof, or the proof that one checkpoint extends another."""

from __future__ import annotations

import json
from typing import Any

import click

from cli.context import InputFailure, Settings, translate_errors
from cli.output import format_option

HASHING = "RFC 9162: leaf = SHA-256(0x00 || line), node = SHA-256(0x01 || left || right)"


@click.command("prove")
@click.argument("event_id", metavar="EVENT_ID", required=False)
@click.option(
    "--checkpoint",
    "number",
    type=click.IntRange(min=1),
    metavar="N",
    help="Prove against checkpoint N (default: the latest).",
)
@click.option(
    "--from-checkpoint",
    "since",
    type=click.IntRange(min=1),
    metavar="M",
    help="Instead of an event: prove that the ledger at --checkpoint (default: the latest) "
    "extends the ledger at checkpoint M (an RFC 9162 consistency proof).",
)
@format_option("json", "table", default="json")
@click.pass_obj
@translate_errors
def prove_command(
    settings: Settings, event_id: str | None, number: int | None, since: int | None, fmt: str
) -> None:
    """Print the proof that EVENT_ID is in a signed checkpoint's Merkle tree.

    The proof is its leaf's index and the audit path to the checkpoint's signed root: anyone
    with the event's line, the proof and the public key can check it without the ledger. With
    --from-checkpoint M, print the proof that the later checkpoint's tree extends M's.
    """
    from ledger.store.proofs import chosen, consistency_proof, prove_event

    if (event_id is None) == (since is None):
        raise InputFailure("give either EVENT_ID or --from-checkpoint M")
    with settings.open() as ledger:
        if event_id is not None:
            checkpoint, proof, line = prove_event(ledger, event_id, number)
            body: dict[str, Any] = {
                "hashing": HASHING,
                "event": event_id,
                "line": line.decode("utf-8"),
                "index": proof.index,
                "path": [h.hex() for h in proof.path],
                "checkpoint": checkpoint.as_json(),
            }
        else:
            assert since is not None
            new = chosen(ledger, number)
            old = chosen(ledger, since)
            hashes = consistency_proof(ledger, old, new)
            body = {
                "hashing": HASHING,
                "from": old.as_json(),
                "to": new.as_json(),
                "proof": [h.hex() for h in hashes],
            }
    if fmt == "json":
        click.echo(json.dumps(body, indent=2))
        return
    if event_id is not None:
        click.echo(
            f"event {event_id} is leaf {body['index']} of checkpoint "
            f"#{body['checkpoint']['number']} ({body['checkpoint']['events']} events, Merkle "
            f"root {body['checkpoint']['merkle_root']}); audit path, bottom first:"
        )
        hashes_shown = body["path"]
    else:
        click.echo(
            f"checkpoint #{body['to']['number']} ({body['to']['events']} events) extends "
            f"#{body['from']['number']} ({body['from']['events']} events); proof:"
        )
        hashes_shown = body["proof"]
    for digest in hashes_shown:
        click.echo(f"  {digest}")
