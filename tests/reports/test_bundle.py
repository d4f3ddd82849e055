"""Evidence bundles: the manifest, and `verify-export` catching every kind of tampering."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from ledger.store.ledger import Ledger
from tests.reports.support import SEED_INCIDENT, run, seed_path, seeded
from tests.streams_factory import event, write


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return seeded(tmp_path, seed_path())


@pytest.fixture
def bundle(store: Path, tmp_path: Path) -> Path:
    out = tmp_path / "bundle"
    result = run(store, "export", "--bundle", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def test_bundle_holds_every_format_and_a_manifest_of_their_hashes(
    bundle: Path, store: Path
) -> None:
    """manifest.json lists each file's SHA-256, the chain head and count, policy, tool, command."""
    names = sorted(p.name for p in bundle.iterdir())
    assert names == [
        "eido.jsonl", "ledger.jsonl", "manifest.json", "report.html", "report.md", "timeline.csv",
    ]  # fmt: skip
    manifest = json.loads((bundle / "manifest.json").read_text())
    with Ledger.open(f"sqlite:///{store}") as ledger:
        count, head = ledger.head()
    assert manifest["ledger"] == {"chain_head": head.hex(), "events": count}
    exported = (bundle / "ledger.jsonl").read_bytes().count(b"\n")
    assert manifest["selection"]["events"] == exported  # not the count of the last format (0)
    for item in manifest["files"]:
        data = (bundle / item["name"]).read_bytes()
        assert item["sha256"] == hashlib.sha256(data).hexdigest()
        assert item["bytes"] == len(data)
    assert manifest["tool"]["name"] == "incident-ledger"
    assert manifest["policy"]["source"] == "built-in default"
    assert manifest["policy"]["grades"] == {"I": "PT15M", "S": "PT1H", "E": "none", "R": "none"}
    assert manifest["command"] == ["ledger", "--store", f"sqlite:///{store}", "export",
                                   "--bundle", str(bundle)]  # fmt: skip
    assert manifest["generated_at"] is None


def test_verify_export_accepts_an_untouched_bundle(bundle: Path, store: Path) -> None:
    """A fresh bundle matches its manifest and the ledger: exit 0, one line on stdout."""
    result = run(store, "verify-export", str(bundle))
    assert result.exit_code == 0, result.output
    with Ledger.open(f"sqlite:///{store}") as ledger:
        head = ledger.head()[1].hex()
    assert result.stdout == (
        f"ok: 5 files match manifest.json; chain head {head} (16 events) checked against the "
        "ledger\n"
    )


def test_one_changed_byte_exits_3_naming_the_file(bundle: Path, store: Path) -> None:
    """Flipping one byte of the HTML report is found and the file named."""
    path = bundle / "report.html"
    data = bytearray(path.read_bytes())
    data[200] ^= 1
    path.write_bytes(bytes(data))
    result = run(store, "verify-export", str(bundle))
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("report.html: SHA-256 is ")
    assert "(the file was changed)" in result.stderr
    assert "Error: the bundle does not match: 1 difference, listed above" in result.stderr


def test_missing_and_added_files_are_each_named(bundle: Path, store: Path) -> None:
    """A deleted file and a file slipped in are both differences."""
    (bundle / "eido.jsonl").unlink()
    (bundle / "extra.txt").write_text("x")
    result = run(store, "verify-export", str(bundle), "--offline")
    assert result.exit_code == 3, result.output
    assert result.stderr.splitlines()[:2] == [
        "extra.txt: not in the manifest (added after the export)",
        "eido.jsonl: missing",
    ]


def test_a_ledger_that_has_only_grown_still_holds_the_bundle(
    bundle: Path, store: Path, tmp_path: Path
) -> None:
    """Another import since the export is growth, not tampering (issue 11): said so, exit 0."""
    extra = write(tmp_path / "more.jsonl", [
        event("x-1", "IncidentNoted", "2018-06-02T09:00:00+01:00", incident=SEED_INCIDENT,
              text="Reviewed."),
    ])  # fmt: skip
    assert run(store, "import", str(extra)).exit_code == 0
    result = run(store, "verify-export", str(bundle))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        "the ledger has grown by 1 event since; every exported event is still there (its "
        "first 16 events still chain to the manifest's head)"
    )


def test_another_ledger_exits_3_naming_the_chain_head(bundle: Path, tmp_path: Path) -> None:
    """The same number of events with another history is another ledger."""
    other = tmp_path / "other"
    other.mkdir()
    lines = seed_path().read_text().splitlines()
    changed = [line.replace("11.54pm", "11.55pm") for line in lines]
    store = seeded(other, write_lines(other / "s.jsonl", changed))
    result = run(store, "verify-export", str(bundle))
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("chain head differs: the manifest says ")
    assert "another ledger, or a changed history" in result.stderr


def test_offline_check_rechains_the_whole_ledger_stream(bundle: Path, tmp_path: Path) -> None:
    """Without a ledger, ledger.jsonl and its manifest entry are changed together: still caught."""
    path = bundle / "ledger.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-1]))
    manifest = json.loads((bundle / "manifest.json").read_text())
    for item in manifest["files"]:
        if item["name"] == "ledger.jsonl":
            item["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    result = run(tmp_path / "absent.db", "verify-export", str(bundle), "--offline")
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("ledger.jsonl: its 15 events chain to ")


def test_bundle_directory_must_be_new_or_empty(bundle: Path, store: Path) -> None:
    """Exporting over an existing bundle would mix two exports: exit 2, nothing written."""
    result = run(store, "export", "--bundle", str(bundle), "--format", "md")
    assert result.exit_code == 2, result.output
    assert "already exists and is not an empty directory" in result.stderr


def test_verify_export_without_a_manifest_exits_3(store: Path, tmp_path: Path) -> None:
    """A directory with no manifest.json proves nothing."""
    (tmp_path / "empty").mkdir()
    result = run(store, "verify-export", str(tmp_path / "empty"))
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("manifest.json: missing")


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
