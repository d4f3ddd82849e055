"""The parts under the reports: open findings, the time axis, the policy in the manifest."""

from __future__ import annotations

import hashlib
import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from projections.analysis.findings import Finding
from projections.exports.findings_open import is_open
from projections.exports.svg_scale import make_scale
from tests.reports.support import SEED_INCIDENT, run, seed_path, seeded

T0 = datetime(2018, 6, 1, 0, 15, tzinfo=UTC)


def _finding(start: datetime, end: datetime | None) -> Finding:
    return Finding("x", "I", "high", start, end, ("e",), False, "s")


def test_a_finding_is_open_from_its_start_until_just_before_its_end() -> None:
    """The event that closes a gap does not happen inside it; a point is open at its instant."""
    stretch = _finding(T0, T0 + timedelta(hours=1))
    assert is_open(stretch, T0)
    assert not is_open(stretch, T0 + timedelta(hours=1))
    assert not is_open(stretch, T0 - timedelta(seconds=1))
    assert is_open(_finding(T0, None), T0 + timedelta(days=30))
    assert is_open(_finding(T0, T0), T0)


def test_axis_ticks_follow_local_time_across_a_clock_change() -> None:
    """On the night clocks go forward, 00:30 GMT is followed by 02:00 BST half an hour on."""
    start = datetime(2018, 3, 24, 23, 30, tzinfo=UTC)
    scale = make_scale([start, start + timedelta(hours=5)], [], 200, 1000, "Europe/London")
    labels = [clock for _, clock, _ in scale.ticks()]
    assert labels[1:5] == ["00:00", "00:30", "02:00", "02:30"]
    xs = [x for x, _, _ in scale.ticks()]
    gaps = {round(b - a, 6) for a, b in itertools.pairwise(xs)}
    assert len(gaps) == 1  # evenly spaced in real time


def test_evidence_from_months_before_goes_to_a_gutter() -> None:
    """A marker removed in January does not squash the night of the incident."""
    night = [T0, T0 + timedelta(hours=6)]
    january = datetime(2018, 1, 1, tzinfo=UTC)
    scale = make_scale(night, [*night, january], 200, 1000, "Europe/London")
    assert scale.left_gutter is not None
    assert scale.right_gutter is None
    assert scale.left_gutter[0] <= scale.x(january) <= scale.left_gutter[1]
    assert scale.x(T0) > scale.left_gutter[1]


def test_policy_file_is_recorded_with_its_hash_and_used(tmp_path: Path) -> None:
    """--policy changes the findings and the manifest names the file and its SHA-256."""
    store = seeded(tmp_path, seed_path())
    policy = tmp_path / "lenient.toml"
    policy.write_text('[grades]\nI = "PT15M"\nS = "PT4H"\nE = "none"\nR = "none"\n')
    out = tmp_path / "b"
    result = run(store, "export", "--bundle", str(out), "--format", "md",
                 "--incident", SEED_INCIDENT, "--policy", str(policy))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["policy"]["source"] == str(policy)
    assert manifest["policy"]["sha256"] == hashlib.sha256(policy.read_bytes()).hexdigest()
    assert manifest["policy"]["grades"]["S"] == "PT4H"
    assert "response-target-missed" not in (out / "report.md").read_text()


def test_a_bad_policy_file_exits_2_naming_the_key(tmp_path: Path) -> None:
    """A policy the ledger cannot use is bad input."""
    store = seeded(tmp_path, seed_path())
    policy = tmp_path / "bad.toml"
    policy.write_text('[rules]\nack_timeout = "two minutes"\n')
    result = run(store, "export", "--format", "md", "--policy", str(policy))
    assert result.exit_code == 2, result.output
    assert "rules.ack_timeout" in result.stderr


def test_verify_export_json_reports_the_outcome_on_stdout(tmp_path: Path) -> None:
    """--format json prints one object for scripts, problems included."""
    store = seeded(tmp_path, seed_path())
    assert run(store, "export", "--bundle", str(tmp_path / "b"), "--format", "csv").exit_code == 0
    result = run(store, "verify-export", str(tmp_path / "b"), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert report["files"] == 1
    assert report["problems"] == []
