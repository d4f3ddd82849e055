"""Signed checkpoints: stored append-only, and `verify --public-key` catching what the chain
cannot (a history rewritten consistently, a tail cut off)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from ledger.keys import load_public
from ledger.store.checkpoints import stored
from ledger.store.ledger import Ledger
from ledger.store.merkle import root_of
from tests.ledger.signing_support import (
    cut_last_event,
    imported,
    key_pair,
    ledger_cli,
    raw,
    rewrite_consistently,
    signed_ledger,
)
from tests.streams_factory import event


def test_keygen_writes_a_private_key_only_its_owner_reads(tmp_path: Path) -> None:
    """KEY is mode 0600, KEY.pub beside it; running it again never overwrites them."""
    key, public = key_pair(tmp_path)
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert public.read_text().startswith("-----BEGIN PUBLIC KEY-----")
    again = ledger_cli("sqlite:///unused.db", "keygen", str(key))
    assert again.exit_code == 2, again.output
    assert "already exists: a key is never overwritten" in again.output


def test_a_checkpoint_signs_count_head_and_merkle_root(store_url: str, tmp_path: Path) -> None:
    """The printed checkpoint is stored, and its signature checks with the public key."""
    imported(store_url, tmp_path)
    key, public = key_pair(tmp_path)
    result = ledger_cli(store_url, "checkpoint", "--key", str(key), "--format", "json")
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    with Ledger.open(store_url) as ledger:
        count, head = ledger.head()
        lines = [stored_line.line for stored_line in ledger.lines()]
        (checkpoint,) = stored(ledger)
    assert (printed["number"], printed["events"], printed["chain_head"]) == (1, count, head.hex())
    assert printed["merkle_root"] == root_of(lines).hex()
    assert checkpoint.as_json() == printed
    assert checkpoint.signed_by(load_public(public))


def test_verify_with_the_public_key_accepts_an_untouched_ledger(
    store_url: str, tmp_path: Path
) -> None:
    """Two checkpoints, more events after them: exit 0, saying what is not signed yet."""
    key, public = signed_ledger(store_url, tmp_path)
    assert ledger_cli(store_url, "checkpoint", "--key", str(key)).exit_code == 0
    imported(store_url, tmp_path, [event("n-1", "IncidentNoted", "2018-06-02T09:00:00Z",
                                         incident="CAD-1", text="Reviewed.")])  # fmt: skip
    result = ledger_cli(store_url, "verify", "--public-key", str(public))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("signed: 2 checkpoints match the events")
    assert "; 1 event appended since, not signed yet (signed " in result.stdout


def test_checkpoints_are_append_only_in_the_database(store_url: str, tmp_path: Path) -> None:
    """UPDATE, DELETE (and on PostgreSQL TRUNCATE) of a checkpoint are refused by the database."""
    _key, _ = signed_ledger(store_url, tmp_path)
    statements = [
        "UPDATE ledger_checkpoints SET signature = statement",
        "DELETE FROM ledger_checkpoints",
    ]
    if store_url.startswith("postgresql"):
        statements.append("TRUNCATE ledger_checkpoints")
    for statement in statements:
        with raw(store_url) as (conn, _), pytest.raises(Exception, match="append-only"):
            conn.execute(statement)
    with Ledger.open(store_url) as ledger:
        assert len(stored(ledger)) == 1


def test_a_history_rewritten_consistently_fails_against_the_checkpoint(
    store_url: str, tmp_path: Path
) -> None:
    """An event edited and the chain recomputed: plain verify passes, the checkpoint does not."""
    _key, public = signed_ledger(store_url, tmp_path)
    rewrite_consistently(store_url, "b-02", b'"by":"CH101"', b'"by":"CH999"')
    result = ledger_cli(store_url, "verify", "--public-key", str(public))
    assert result.exit_code == 3, result.output
    assert "checkpoint #1" in result.stderr
    assert "history before the checkpoint was rewritten" in result.stderr
    assert "Error: signature check failed: 1 problem, listed above" in result.stderr


def test_a_tail_cut_after_a_checkpoint_fails(store_url: str, tmp_path: Path) -> None:
    """Removing the last event (chain entry and index rows too) is caught: exit 3."""
    _key, public = signed_ledger(store_url, tmp_path)
    cut_last_event(store_url)
    result = ledger_cli(store_url, "verify", "--public-key", str(public))
    assert result.exit_code == 3, result.output
    assert "events were cut from the end" in result.stderr


def test_a_checkpoint_by_another_key_is_not_accepted(store_url: str, tmp_path: Path) -> None:
    """A checkpoint signed by a key the verifier was not given fails; given both, it passes."""
    imported(store_url, tmp_path)
    key, public = key_pair(tmp_path)
    _, other = key_pair(tmp_path, "other.key")
    assert ledger_cli(store_url, "checkpoint", "--key", str(key)).exit_code == 0
    refused = ledger_cli(store_url, "verify", "--public-key", str(other))
    assert refused.exit_code == 3, refused.output
    assert "was signed by key" in refused.stderr
    both = ledger_cli(store_url, "verify", "--public-key", str(other), "--public-key", str(public))
    assert both.exit_code == 0, both.output


def test_verify_with_a_key_but_no_checkpoint_exits_3(store_url: str, tmp_path: Path) -> None:
    """Asked to check signatures where there are none: said so, exit 3."""
    imported(store_url, tmp_path)
    _, public = key_pair(tmp_path)
    result = ledger_cli(store_url, "verify", "--public-key", str(public))
    assert result.exit_code == 3, result.output
    assert "the ledger holds no signed checkpoint" in result.stderr


def test_checkpoint_refuses_to_sign_a_ledger_cut_shorter_than_an_earlier_one(
    store_url: str, tmp_path: Path
) -> None:
    """Fewer events than the last checkpoint signed: exit 3, nothing signed."""
    key, _ = signed_ledger(store_url, tmp_path)
    cut_last_event(store_url)
    result = ledger_cli(store_url, "checkpoint", "--key", str(key))
    assert result.exit_code == 3, result.output
    assert "signed 7 events, but the ledger holds 6: events were cut" in result.output


def test_checkpoint_refuses_to_sign_a_ledger_that_contradicts_an_earlier_one(
    store_url: str, tmp_path: Path
) -> None:
    """After a consistent rewrite, a new checkpoint is refused: exit 3, nothing signed."""
    key, _ = signed_ledger(store_url, tmp_path)
    rewrite_consistently(store_url, "b-02", b'"by":"CH101"', b'"by":"CH999"')
    result = ledger_cli(store_url, "checkpoint", "--key", str(key))
    assert result.exit_code == 3, result.output
    assert "no longer match checkpoint #1: nothing was signed" in result.output
    with Ledger.open(store_url) as ledger:
        assert len(stored(ledger)) == 1
