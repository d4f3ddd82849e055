"""The whole product against the simulator: findings of 10,000 simulated incidents, imported
and evaluated by the ledger, equal the ground truth exactly (precision = recall = 1.0)."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from simulator import DEFAULT_POLICY, simulate, write_simulation

Key = tuple[Any, ...]


def _key(finding: dict[str, Any]) -> Key:
    end = datetime.fromisoformat(finding["end"]) if finding["end"] else None
    return (
        finding["code"],
        finding["incident"],
        finding["severity"],
        datetime.fromisoformat(finding["start"]),
        end,
        tuple(finding["evidence"]),
        finding["approximate"],
    )


def _ledger_findings(tmp_path: Path, stream: Path, *options: str) -> set[Key]:
    """Import `stream` into a fresh ledger and read its findings (every field but summary)."""
    runner = CliRunner()
    store = ["--store", f"sqlite:///{tmp_path / 'ledger.db'}"]
    imported = runner.invoke(main, [*store, "import", str(stream)])
    assert imported.exit_code == 0, imported.output
    found = runner.invoke(main, [*store, "findings", "--format", "json", *options])
    assert found.exit_code == 0, found.output
    return {_key(f) for f in json.loads(found.stdout)}


def _assert_precision_and_recall_are_one(expected: set[Key], got: set[Key]) -> None:
    true_positives = len(expected & got)
    assert (true_positives / len(got), true_positives / len(expected)) == (1.0, 1.0), (
        sorted(got - expected, key=repr)[:5],
        sorted(expected - got, key=repr)[:5],
    )


@pytest.mark.slow
def test_findings_of_10000_simulated_incidents_equal_the_ground_truth(tmp_path: Path) -> None:
    """Every injected finding is found and nothing else: precision and recall are 1.0."""
    stream, truth = tmp_path / "sim.jsonl.gz", tmp_path / "truth.json"
    made = CliRunner().invoke(
        main,
        [
            "simulate",
            "--seed",
            "104370",
            "--incidents",
            "10000",
            "-o",
            str(stream),
            "--truth",
            str(truth),
        ],
    )
    assert made.exit_code == 0, made.output
    expected = {_key(f) for f in json.loads(truth.read_text())}
    _assert_precision_and_recall_are_one(expected, _ledger_findings(tmp_path, stream))
    assert len({key[0] for key in expected}) == 15  # every finding code occurs


@pytest.mark.slow
def test_a_policy_of_empty_lists_gives_the_ground_truth(tmp_path: Path) -> None:
    """No attendance required and no domestic terms: those rules find nothing (ruling 9)."""
    policy = dataclasses.replace(DEFAULT_POLICY, attendance_required=(), domestic_terms=())
    sim = simulate(seed=9, incidents=1500, policy=policy)
    stream, policy_file = tmp_path / "sim.jsonl", tmp_path / "policy.toml"
    write_simulation(sim, stream, tmp_path / "truth.json")
    policy_file.write_text(policy.to_toml(), "utf-8")
    expected = {_key(f) for f in sim.truth}
    got = _ledger_findings(tmp_path, stream, "--policy", str(policy_file))
    _assert_precision_and_recall_are_one(expected, got)
