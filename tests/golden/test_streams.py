"""Golden streams: each folder of tests/streams holds a recorded stream and its findings.

A folder has `events.jsonl` and `expected-findings.json`, and may have `policy.toml` and
`clock.json` ({"at": …} or {"as_known_at": …}). Findings are compared in full but for
`summary` (words may improve), with times compared as instants.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main

STREAMS = Path(__file__).resolve().parent.parent / "streams"
CASES = sorted(p.name for p in STREAMS.iterdir() if (p / "events.jsonl").exists())


def _comparable(finding: dict[str, Any]) -> dict[str, Any]:
    found = {key: value for key, value in finding.items() if key != "summary"}
    found["start"] = datetime.fromisoformat(found["start"])
    found["end"] = datetime.fromisoformat(found["end"]) if found["end"] else None
    return found


def _findings_args(folder: Path) -> list[str]:
    args = ["findings", "--format", "json"]
    if (folder / "policy.toml").exists():
        args += ["--policy", str(folder / "policy.toml")]
    if (folder / "clock.json").exists():
        clock = json.loads((folder / "clock.json").read_text())
        for key, option in (("at", "--at"), ("as_known_at", "--as-known-at")):
            if key in clock:
                args += [option, clock[key]]
    return args


@pytest.mark.parametrize("case", CASES)
def test_stream_gives_its_expected_findings(case: str, store_url: str) -> None:
    """Importing the stream and asking for findings gives exactly the expected ones,
    on SQLite and on PostgreSQL."""
    folder = STREAMS / case
    store = ["--store", store_url]
    runner = CliRunner()
    imported = runner.invoke(main, [*store, "import", str(folder / "events.jsonl")])
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(main, [*store, *_findings_args(folder)])
    assert result.exit_code == 0, result.output
    got = [_comparable(f) for f in json.loads(result.stdout)]
    expected = [_comparable(f) for f in json.loads((folder / "expected-findings.json").read_text())]
    assert got == expected


@pytest.mark.parametrize("case", CASES)
def test_stored_findings_match_a_fresh_evaluation(case: str, tmp_path: Path) -> None:
    """The persisted read models agree with the pipeline run over the whole stream at once
    (no index, no chunks)."""
    from ledger.store.ledger import Ledger
    from projections.analysis.compute import analyse_all
    from projections.analysis.view import DEFAULT_VIEW
    from projections.query import findings

    folder = STREAMS / case
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert (
        CliRunner().invoke(main, ["--store", url, "import", str(folder / "events.jsonl")]).exit_code
        == 0
    )
    with Ledger.open(url) as ledger:
        stored = [f.to_json() for f in findings(ledger)]
        events = list(ledger.events())
        fresh = [f.to_json() for f in analyse_all(events, DEFAULT_VIEW).findings()]
    assert [_comparable(f) for f in stored] == [_comparable(f) for f in fresh]
