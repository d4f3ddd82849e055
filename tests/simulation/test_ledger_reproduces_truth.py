"""The whole product against the simulator: findings of 10,000 simulated incidents, imported
and evaluated by the ledger, equal the ground truth exactly (precision = recall = 1.0)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main


def _key(finding: dict[str, Any]) -> tuple[Any, ...]:
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


@pytest.mark.slow
def test_findings_of_10000_simulated_incidents_equal_the_ground_truth(tmp_path: Path) -> None:
    """Every injected finding is found and nothing else: precision and recall are 1.0."""
    runner = CliRunner()
    stream, truth = tmp_path / "sim.jsonl.gz", tmp_path / "truth.json"
    made = runner.invoke(
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
    store = ["--store", f"sqlite:///{tmp_path / 'ledger.db'}"]
    imported = runner.invoke(main, [*store, "import", str(stream)])
    assert imported.exit_code == 0, imported.output
    found = runner.invoke(main, [*store, "findings", "--format", "json"])
    assert found.exit_code == 0, found.output

    expected = {_key(f) for f in json.loads(truth.read_text())}
    got = {_key(f) for f in json.loads(found.stdout)}
    true_positives = len(expected & got)
    assert (true_positives / len(got), true_positives / len(expected)) == (1.0, 1.0), (
        sorted(got - expected)[:5],
        sorted(expected - got)[:5],
    )
    assert len({key[0] for key in expected}) == 13  # every finding code occurs
