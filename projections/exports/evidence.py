"""What makes a bundle evidence without the ledger: its checkpoint, proofs and signature.

A bundle carries the ledger's latest signed checkpoint in `manifest.json`. A bundle of chosen
incidents also carries `proofs.json`: for each event in its `ledger.jsonl`, the RFC 9162
inclusion proof from the event's leaf (SHA-256 of 0x00 and its line, exactly as exported) to the
checkpoint's signed Merkle root, so an auditor holding one incident checks that each of its
events is in the signed ledger without seeing anyone else's. `manifest.sig` is an Ed25519
signature over the exact bytes of `manifest.json`, which lists every file's SHA-256: a
manifest recomputed after an edit no longer carries a valid signature.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger.errors import UsageError
from ledger.keys import PublicKey, Signer
from ledger.store.chain import head_of, parse
from ledger.store.checkpoints import Checkpoint, from_json
from ledger.store.ledger import Ledger
from ledger.store.merkle import leaf_hash, root_of, verify_consistency, verify_inclusion

PROOFS = "proofs.json"
SIGNATURE = "manifest.sig"
HASHING = "RFC 9162: leaf = SHA-256(0x00 || line), node = SHA-256(0x01 || left || right)"


def proofs_file(ledger: Ledger, checkpoint: Checkpoint, jsonl: bytes) -> bytes:
    """`proofs.json` for the events of a chosen incidents' `ledger.jsonl` (as stored lines)."""
    from ledger.store.proofs import inclusion_proofs

    lines = [line for line in jsonl.splitlines() if line]
    found = {s.event_id: s for s in ledger.backend.by_ids(str(parse(line)["id"]) for line in lines)}
    proofs, later = inclusion_proofs(ledger, checkpoint, list(found.values()))
    body = {
        "hashing": HASHING,
        "checkpoint": checkpoint.number,
        "tree_size": checkpoint.events,
        "merkle_root": checkpoint.merkle_root.hex(),
        "events": [
            {"id": p.event_id, "index": p.index, "path": [h.hex() for h in p.path]}
            for p in sorted(proofs, key=lambda p: p.index)
        ],
        "after_checkpoint": [s.event_id for s in later],
    }
    return (json.dumps(body, indent=2) + "\n").encode()


def sign_manifest(directory: Path, signer: Signer) -> None:
    """Write `manifest.sig`: the signature over `manifest.json`'s exact bytes."""
    target = directory / SIGNATURE
    signature = signer.sign((directory / "manifest.json").read_bytes())
    body = {"signed": "manifest.json", "key": signer.id, "signature": signature.hex()}
    try:
        with target.open("x") as handle:
            handle.write(json.dumps(body, indent=2) + "\n")
    except FileExistsError:
        raise UsageError(f"{target} already exists: the bundle is signed already") from None


@dataclass
class Evidence:
    """What the checkpoint, proofs and signature of a bundle showed."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    signed_by: str | None = None  # the key id whose signature over the manifest holds
    proved: int = 0  # events whose inclusion proof holds


def check_evidence(
    directory: Path, manifest: bytes, body: dict[str, Any], keys: Sequence[PublicKey]
) -> tuple[Evidence, Checkpoint | None]:
    """The manifest's signature (when `keys`), its checkpoint's, and every inclusion proof."""
    found = Evidence()
    checkpoint = _checkpoint(body, keys, found)
    if keys:
        _signature(directory, manifest, keys, found)
    jsonl = directory / "ledger.jsonl"
    if checkpoint is None or not jsonl.is_file() or body.get("redaction") is not None:
        return found, checkpoint
    lines = [line for line in jsonl.read_bytes().splitlines() if line]
    if body["selection"]["whole_ledger"]:
        _whole(lines, checkpoint, found)
    else:
        _proofs(directory, lines, checkpoint, bool(keys), found)
    return found, checkpoint


def _checkpoint(
    body: dict[str, Any], keys: Sequence[PublicKey], found: Evidence
) -> Checkpoint | None:
    raw = body.get("checkpoint")
    if raw is None:
        if keys:
            found.problems.append(
                "manifest.json: no signed checkpoint (make one with `ledger checkpoint`, then "
                "export again): its events cannot be checked against a signed ledger"
            )
        return None
    try:
        checkpoint = from_json(raw)
    except UsageError as error:
        found.problems.append(f"manifest.json: checkpoint: {error}")
        return None
    if keys:
        key = next((k for k in keys if k.id == checkpoint.key), None)
        if key is None or not checkpoint.signed_by(key):
            why = "was not signed by a key given" if key is None else "has a signature that fails"
            found.problems.append(
                f"manifest.json: checkpoint #{checkpoint.number} {why}: its Merkle root "
                "cannot be trusted"
            )
    return checkpoint


def _signature(
    directory: Path, manifest: bytes, keys: Sequence[PublicKey], found: Evidence
) -> None:
    try:
        body = json.loads((directory / SIGNATURE).read_bytes())
        signature = bytes.fromhex(body["signature"])
        key_id = str(body["key"])
    except FileNotFoundError:
        found.problems.append(
            f"{SIGNATURE}: missing: the manifest is not signed (`ledger sign-export`)"
        )
        return
    except (OSError, ValueError, KeyError, TypeError) as error:
        found.problems.append(f"{SIGNATURE}: cannot be read ({error})")
        return
    key = next((k for k in keys if k.id == key_id), None)
    if key is None:
        found.problems.append(f"{SIGNATURE}: signed by key {key_id}, not by a key given")
    elif not key.verifies(signature, manifest):
        found.problems.append(
            f"{SIGNATURE}: the signature does not match manifest.json: the manifest was "
            "changed after it was signed"
        )
    else:
        found.signed_by = key_id


def _whole(lines: list[bytes], checkpoint: Checkpoint, found: Evidence) -> None:
    prefix = lines[: checkpoint.events]
    count, head = head_of(prefix)
    if count < checkpoint.events or head != checkpoint.chain_head:
        found.problems.append(
            f"ledger.jsonl: its first {checkpoint.events} events do not chain to checkpoint "
            f"#{checkpoint.number}'s head"
        )
    elif root_of(prefix) != checkpoint.merkle_root:
        found.problems.append(
            f"ledger.jsonl: its first {checkpoint.events} events do not have checkpoint "
            f"#{checkpoint.number}'s Merkle root"
        )
    else:
        found.proved = count


def _proofs(
    directory: Path, lines: list[bytes], checkpoint: Checkpoint, strict: bool, found: Evidence
) -> None:
    try:
        body = json.loads((directory / PROOFS).read_bytes())
        proofs = {
            str(item["id"]): (int(item["index"]), [bytes.fromhex(h) for h in item["path"]])
            for item in body["events"]
        }
        later = {str(item) for item in body.get("after_checkpoint", [])}
    except FileNotFoundError:
        found.problems.append(f"{PROOFS}: missing: the events cannot be checked one by one")
        return
    except (OSError, ValueError, KeyError, TypeError) as error:
        found.problems.append(f"{PROOFS}: cannot be read ({error})")
        return
    for line in lines:
        event_id = str(parse(line).get("id"))
        if event_id in later:
            if strict:
                found.problems.append(
                    f"event {event_id!r}: appended after checkpoint #{checkpoint.number}: no "
                    "proof (make a checkpoint, then export again)"
                )
            continue
        proof = proofs.get(event_id)
        if proof is None:
            found.problems.append(f"event {event_id!r}: no inclusion proof in {PROOFS}")
        elif not verify_inclusion(
            leaf_hash(line), proof[0], checkpoint.events, proof[1], checkpoint.merkle_root
        ):
            found.problems.append(
                f"event {event_id!r}: its inclusion proof does not lead to checkpoint "
                f"#{checkpoint.number}'s Merkle root: the event or its proof was changed"
            )
        else:
            found.proved += 1


def consistency_note(
    ledger: Ledger, checkpoint: Checkpoint, keys: Sequence[PublicKey]
) -> tuple[str | None, str | None]:
    """(note, problem): does the ledger's latest checkpoint extend the bundle's?"""
    from ledger.store.checkpoints import latest
    from ledger.store.proofs import consistency_proof

    now = latest(ledger)
    if now is None or now.number == checkpoint.number or not 0 < checkpoint.events <= now.events:
        return None, None
    if keys and not any(k.id == now.key and now.signed_by(k) for k in keys):
        return None, f"the ledger's checkpoint #{now.number} is not signed by a key given"
    proof = consistency_proof(ledger, checkpoint, now)
    if verify_consistency(
        checkpoint.events, checkpoint.merkle_root, now.events, now.merkle_root, proof
    ):
        return (
            f"consistency: the ledger's checkpoint #{now.number} ({now.events} events) extends "
            f"the bundle's #{checkpoint.number} ({checkpoint.events} events); proof of "
            f"{len(proof)} hashes checked",
            None,
        )
    return None, (
        f"consistency: the ledger's checkpoint #{now.number} does not extend the bundle's "
        f"#{checkpoint.number}: the history the bundle rests on was changed"
    )
