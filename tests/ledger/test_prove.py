"""`ledger prove`: proofs printed for someone without the ledger, which check offline."""

from __future__ import annotations

import json
from pathlib import Path

from ledger.keys import load_public
from ledger.store.checkpoints import from_json
from ledger.store.merkle import leaf_hash, verify_consistency, verify_inclusion
from tests.ledger.signing_support import imported, ledger_cli, signed_ledger
from tests.streams_factory import event

MORE = [event("m-1", "IncidentNoted", "2018-06-02T09:00:00Z", incident="CAD-1", text="Later.")]


def test_a_printed_inclusion_proof_checks_offline(store_url: str, tmp_path: Path) -> None:
    """The event's line, index and path lead to the root the checkpoint's signature covers."""
    _, public = signed_ledger(store_url, tmp_path)
    result = ledger_cli(store_url, "prove", "b-03")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    checkpoint = from_json(body["checkpoint"])
    assert checkpoint.signed_by(load_public(public))
    path = [bytes.fromhex(h) for h in body["path"]]
    leaf = leaf_hash(body["line"].encode())
    assert body["index"] == 2
    assert verify_inclusion(leaf, 2, checkpoint.events, path, checkpoint.merkle_root)
    assert not verify_inclusion(leaf, 3, checkpoint.events, path, checkpoint.merkle_root)


def test_a_printed_consistency_proof_checks_offline(store_url: str, tmp_path: Path) -> None:
    """Two checkpoints around an import: the later tree provably extends the earlier one."""
    key, _ = signed_ledger(store_url, tmp_path)
    imported(store_url, tmp_path, MORE)
    assert ledger_cli(store_url, "checkpoint", "--key", str(key)).exit_code == 0
    result = ledger_cli(store_url, "prove", "--from-checkpoint", "1")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    old, new = from_json(body["from"]), from_json(body["to"])
    proof = [bytes.fromhex(h) for h in body["proof"]]
    assert (old.events, new.events) == (7, 8)
    assert verify_consistency(old.events, old.merkle_root, new.events, new.merkle_root, proof)


def test_an_event_after_the_latest_checkpoint_cannot_be_proved(
    store_url: str, tmp_path: Path
) -> None:
    """Appended after the checkpoint: exit 2, saying to make a checkpoint first."""
    signed_ledger(store_url, tmp_path)
    imported(store_url, tmp_path, MORE)
    result = ledger_cli(store_url, "prove", "m-1")
    assert result.exit_code == 2, result.output
    assert "was appended after checkpoint #1" in result.stderr


def test_prove_without_a_checkpoint_or_event_is_bad_usage(tmp_path: Path) -> None:
    """No checkpoint yet, an unknown event, or neither argument: exit 2, each said."""
    store_url = f"sqlite:///{tmp_path / 'l.db'}"
    imported(store_url, tmp_path)
    cases = {
        ("prove", "b-01"): "the ledger holds no checkpoint",
        ("prove",): "give either EVENT_ID or --from-checkpoint M",
    }
    for args, message in cases.items():
        result = ledger_cli(store_url, *args)
        assert result.exit_code == 2, result.output
        assert message in result.stderr
