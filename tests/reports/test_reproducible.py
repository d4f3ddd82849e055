"""The same ledger and options give byte-identical files; "now" only when asked for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.reports.support import FORMATS, SEED_INCIDENT, run, seed_path, seeded


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return seeded(tmp_path, seed_path())


@pytest.mark.parametrize("fmt", FORMATS)
def test_two_exports_are_byte_identical(store: Path, fmt: str) -> None:
    """Every format, whole ledger and one incident, comes out the same twice."""
    for extra in ((), ("--incident", SEED_INCIDENT)):
        first = run(store, "export", "--format", fmt, *extra)
        second = run(store, "export", "--format", fmt, *extra)
        assert first.exit_code == 0, first.stderr
        assert first.stdout_bytes == second.stdout_bytes


def test_two_bundles_are_byte_identical_manifest_included(store: Path, tmp_path: Path) -> None:
    """Exported twice into the same place, a redacted bundle's every byte repeats."""
    target = tmp_path / "bundle"
    args = ("export", "--bundle", str(target), "--redact-key", "k", "--incident", SEED_INCIDENT)
    assert run(store, *args).exit_code == 0
    first = {p.name: p.read_bytes() for p in target.iterdir()}
    target.rename(tmp_path / "first")
    assert run(store, *args).exit_code == 0
    second = {p.name: p.read_bytes() for p in target.iterdir()}
    assert first == second


def test_timestamp_is_written_only_when_asked(store: Path, tmp_path: Path) -> None:
    """--timestamp adds the export time to the manifest and the reports."""
    result = run(store, "export", "--bundle", str(tmp_path / "b"), "--timestamp", "--format", "md")
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert manifest["generated_at"] is not None
    assert (
        f"| Exported | {manifest['generated_at']} |" in (tmp_path / "b" / "report.md").read_text()
    )
