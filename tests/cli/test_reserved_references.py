"""findings.md ruling 12: no incident reference is reserved; `#A` is an incident like any other."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cli.main import main
from tests.streams_factory import event, write


def test_a_reference_starting_with_a_hash_is_an_incident_like_any_other(tmp_path: Path) -> None:
    """It is listed with the others and has its timeline."""
    store = f"sqlite:///{tmp_path / 'l.db'}"
    calls = [
        event("h-1", "CallReceived", "2018-06-01T00:00:00Z", incident="#A", call="c1",
              channel="999"),
        event("h-2", "CallReceived", "2018-06-01T00:01:00Z", incident="B", call="c2",
              channel="999"),
    ]  # fmt: skip
    runner = CliRunner()
    stream = write(tmp_path / "s.jsonl", calls)
    assert runner.invoke(main, ["--store", store, "import", str(stream)]).exit_code == 0
    listed = runner.invoke(main, ["--store", store, "incidents", "--format", "json"])
    assert [row["incident"] for row in json.loads(listed.stdout)] == ["#A", "B"]
    timeline = runner.invoke(main, ["--store", store, "timeline", "#A", "--format", "json"])
    assert timeline.exit_code == 0, timeline.stderr
    assert [item["id"] for item in json.loads(timeline.stdout)] == ["h-1"]
