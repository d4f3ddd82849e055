"""Bundles an auditor can stake a case on: signed manifests, inclusion proofs checked offline
against a signed Merkle root, and a grown ledger told apart from a changed one (issue 11)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import Result

from ledger.store.ledger import Ledger
from ledger.store.merkle import Leaves, leaf_hash
from tests.ledger.signing_support import (
    cut_last_event,
    imported,
    key_pair,
    ledger_cli,
    rewrite_consistently,
    signed_ledger,
)
from tests.streams_factory import event

INCIDENT = "CAD-1"  # BASIC's incident with most events
LATER = [
    event("n-1", "IncidentNoted", "2018-06-02T09:00:00Z", incident=INCIDENT, text="Reviewed."),
    event("n-2", "IncidentNoted", "2018-06-02T09:05:00Z", incident="CAD-2", text="Reviewed."),
]


def _bundle(store_url: str, tmp_path: Path, name: str = "bundle") -> Path:
    out = tmp_path / name
    result = ledger_cli(store_url, "export", "--bundle", str(out), "--incident", INCIDENT)
    assert result.exit_code == 0, result.output
    return out


def _verify(store_url: str, bundle: Path, *args: str) -> Result:
    return ledger_cli(store_url, "verify-export", str(bundle), *args)


def _rehash(bundle: Path) -> None:
    """What a forger does after editing files: recompute every hash in the manifest."""
    path = bundle / "manifest.json"
    manifest = json.loads(path.read_text())
    for item in manifest["files"]:
        data = (bundle / item["name"]).read_bytes()
        item["sha256"], item["bytes"] = hashlib.sha256(data).hexdigest(), len(data)
    path.write_text(json.dumps(manifest, indent=2) + "\n")


def _signed_bundle(store_url: str, tmp_path: Path) -> tuple[Path, Path]:
    key, public = signed_ledger(store_url, tmp_path)
    bundle = _bundle(store_url, tmp_path)
    signed = ledger_cli(store_url, "sign-export", str(bundle), "--key", str(key))
    assert signed.exit_code == 0, signed.output
    return bundle, public


def test_an_incident_bundle_proves_each_event_offline(store_url: str, tmp_path: Path) -> None:
    """Each exported event's proof leads to the signed root: checked with bundle and key alone."""
    bundle, public = _signed_bundle(store_url, tmp_path)
    exported = (bundle / "ledger.jsonl").read_bytes().splitlines()
    result = _verify("sqlite:///absent.db", bundle, "--offline", "--public-key", str(public))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        f"signed: manifest.json by key {json.loads((bundle / 'manifest.sig').read_text())['key']}",
        f"proved: {len(exported)} events are in the signed checkpoint's Merkle tree",
    ]
    proofs = json.loads((bundle / "proofs.json").read_text())
    assert [item["id"] for item in proofs["events"]] == [
        json.loads(line)["id"] for line in exported
    ]


def test_edited_files_with_a_recomputed_manifest_fail_the_signature(
    store_url: str, tmp_path: Path
) -> None:
    """The issue's first case: hashes recomputed after an edit pass the hashes, not the key."""
    bundle, public = _signed_bundle(store_url, tmp_path)
    report = bundle / "report.md"
    report.write_text(report.read_text().replace("KD21", "KD22"))
    _rehash(bundle)
    assert _verify(store_url, bundle, "--offline").exit_code == 0  # the hashes alone agree
    result = _verify(store_url, bundle, "--offline", "--public-key", str(public))
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(
        "manifest.sig: the signature does not match manifest.json: the manifest was changed"
    )


def test_a_changed_event_fails_its_inclusion_proof_offline(store_url: str, tmp_path: Path) -> None:
    """An exported event edited (hashes recomputed) no longer leads to the signed root."""
    bundle, _ = _signed_bundle(store_url, tmp_path)
    path = bundle / "ledger.jsonl"
    path.write_bytes(path.read_bytes().replace(b'"grade":"S"', b'"grade":"I"'))
    _rehash(bundle)
    result = _verify(store_url, bundle, "--offline")
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(
        "event 'b-02': its inclusion proof does not lead to checkpoint #1's Merkle root"
    )


def test_a_forged_root_with_matching_proofs_is_refused_by_the_key(
    store_url: str, tmp_path: Path
) -> None:
    """A whole tree rebuilt over an edited event: proofs agree, the checkpoint's signature not."""
    bundle, public = _signed_bundle(store_url, tmp_path)
    with Ledger.open(store_url) as ledger:
        lines = [s.line for s in ledger.lines()]
    forged = [line.replace(b'"grade":"S"', b'"grade":"I"') for line in lines]
    leaves = Leaves(leaf_hash(line) for line in forged)
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest["checkpoint"]["merkle_root"] = leaves.root().hex()
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    proofs = json.loads((bundle / "proofs.json").read_text())
    paths = leaves.inclusion(item["index"] for item in proofs["events"])
    for item in proofs["events"]:
        item["path"] = [h.hex() for h in paths[item["index"]]]
    (bundle / "proofs.json").write_text(json.dumps(proofs))
    exported = {
        json.loads(line)["id"] for line in (bundle / "ledger.jsonl").read_bytes().splitlines()
    }
    (bundle / "ledger.jsonl").write_bytes(
        b"".join(line + b"\n" for line in forged if json.loads(line)["id"] in exported)
    )
    _rehash(bundle)
    assert _verify(store_url, bundle, "--offline").exit_code == 0  # consistent, but unsigned
    result = _verify(store_url, bundle, "--offline", "--public-key", str(public))
    assert result.exit_code == 3, result.output
    assert (
        "manifest.json: checkpoint #1 has a signature that fails: its Merkle root cannot be "
        "trusted" in result.stderr.splitlines()
    )


def test_a_grown_ledger_holds_the_bundle_with_a_consistency_proof(
    store_url: str, tmp_path: Path
) -> None:
    """More events and a later checkpoint: exit 0, the growth and the consistency proof said."""
    bundle, public = _signed_bundle(store_url, tmp_path)
    imported(store_url, tmp_path, LATER)
    key = public.with_name("signing.key")
    assert ledger_cli(store_url, "checkpoint", "--key", str(key)).exit_code == 0
    result = _verify(store_url, bundle, "--public-key", str(public))
    assert result.exit_code == 0, result.output
    notes = result.stdout.splitlines()[3:]
    assert notes[0].startswith(
        "consistency: the ledger's checkpoint #2 (9 events) extends the bundle's #1 (7 events)"
    )
    assert notes[1].startswith(
        "the ledger has grown by 2 events since; every exported event is still there"
    )


def test_a_changed_exported_event_in_the_ledger_exits_3_naming_it(
    store_url: str, tmp_path: Path
) -> None:
    """The ledger rewritten consistently after the export: the event is named, exit 3."""
    bundle, _ = _signed_bundle(store_url, tmp_path)
    rewrite_consistently(store_url, "b-02", b'"by":"CH101"', b'"by":"CH999"')
    result = _verify(store_url, bundle)
    assert result.exit_code == 3, result.output
    assert "event 'b-02': changed in the ledger since the export" in result.stderr


def test_a_missing_exported_event_exits_3_naming_it(store_url: str, tmp_path: Path) -> None:
    """An exported event cut from the ledger: the event is named, exit 3."""
    imported(store_url, tmp_path)
    imported(store_url, tmp_path, LATER[:1])
    bundle = _bundle(store_url, tmp_path)
    cut_last_event(store_url)
    result = _verify(store_url, bundle)
    assert result.exit_code == 3, result.output
    assert "event 'n-1': exported, but no longer in the ledger" in result.stderr


def test_events_after_the_checkpoint_have_no_proof_and_fail_with_the_key(
    store_url: str, tmp_path: Path
) -> None:
    """An event appended after the latest checkpoint cannot be proved: named, exit 3."""
    key, public = signed_ledger(store_url, tmp_path)
    imported(store_url, tmp_path, LATER[:1])
    bundle = _bundle(store_url, tmp_path)
    assert ledger_cli(store_url, "sign-export", str(bundle), "--key", str(key)).exit_code == 0
    result = _verify(store_url, bundle, "--offline", "--public-key", str(public))
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("event 'n-1': appended after checkpoint #1: no proof")


def test_sign_export_refuses_a_bundle_that_does_not_match(store_url: str, tmp_path: Path) -> None:
    """A tampered bundle is never signed: exit 3, no manifest.sig."""
    key, _ = signed_ledger(store_url, tmp_path)
    bundle = _bundle(store_url, tmp_path)
    (bundle / "report.md").write_text("nothing happened")
    result = ledger_cli(store_url, "sign-export", str(bundle), "--key", str(key))
    assert result.exit_code == 3, result.output
    assert "the bundle does not match the ledger: not signed" in result.stderr
    assert not (bundle / "manifest.sig").exists()


def test_a_bundle_without_a_checkpoint_fails_with_the_key(tmp_path: Path) -> None:
    """Exported before any checkpoint: no signed root to prove events against, exit 3."""
    store_url = f"sqlite:///{tmp_path / 'l.db'}"
    imported(store_url, tmp_path)
    _, public = key_pair(tmp_path)
    bundle = _bundle(store_url, tmp_path)
    assert not (bundle / "proofs.json").exists()
    result = _verify(store_url, bundle, "--public-key", str(public))
    assert result.exit_code == 3, result.output
    assert "manifest.json: no signed checkpoint" in result.stderr


def test_a_whole_ledger_bundle_recomputes_the_signed_root(tmp_path: Path) -> None:
    """No proofs.json: its ledger.jsonl's first events give the checkpoint's root themselves."""
    store_url = f"sqlite:///{tmp_path / 'l.db'}"
    key, public = signed_ledger(store_url, tmp_path)
    imported(store_url, tmp_path, LATER)
    bundle = tmp_path / "whole"
    assert (
        ledger_cli(store_url, "export", "--bundle", str(bundle), "--format", "jsonl").exit_code == 0
    )
    assert ledger_cli(store_url, "sign-export", str(bundle), "--key", str(key)).exit_code == 0
    assert not (bundle / "proofs.json").exists()
    result = _verify(store_url, bundle, "--offline", "--public-key", str(public))
    assert result.exit_code == 0, result.output
    assert "proved: 7 events are in the signed checkpoint's Merkle tree" in result.stdout


def test_export_signs_the_bundle_it_writes_with_key(store_url: str, tmp_path: Path) -> None:
    """`export --bundle DIR --key KEY` writes manifest.sig at once: no second command needed."""
    key, public = signed_ledger(store_url, tmp_path)
    out = tmp_path / "signed-at-once"
    made = ledger_cli(
        store_url, "export", "--bundle", str(out), "--incident", INCIDENT, "--key", str(key)
    )
    assert made.exit_code == 0, made.output
    assert (out / "manifest.sig").exists()
    checked = _verify(store_url, out, "--offline", "--public-key", str(public))
    assert checked.exit_code == 0, checked.output
    assert "signed: manifest.json" in checked.output
    report = out / "report.md"
    report.write_text(report.read_text() + "\nforged line\n")
    _rehash(out)
    forged = _verify(store_url, out, "--offline", "--public-key", str(public))
    assert forged.exit_code == 3, forged.output


def test_key_without_bundle_is_bad_usage(store_url: str, tmp_path: Path) -> None:
    """A single-file export has no manifest to sign: exit 2, saying so."""
    key, _ = signed_ledger(store_url, tmp_path)
    result = ledger_cli(store_url, "export", "--format", "md", "--key", str(key))
    assert result.exit_code == 2, result.output
    assert "--key signs a bundle" in result.output
