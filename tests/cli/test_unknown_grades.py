"""Ruling 11: grade codes the policy in force does not list are said out loud."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.support import REPO, ok, run, write_stream

FORCE_POLICY = REPO / "tests" / "streams" / "force-policy" / "force-policy.policy.toml"
WARNING = (
    "warning: grade codes P1, P3 are not in the policy in force (built-in: I, S, E, R): "
    "incidents graded with them get no response target, attendance or downgrade check; give a "
    "policy that lists them (--policy FILE)\n"
)
EVENTS = [
    {"id": "p-1", "type": "CallReceived", "at": "2024-03-01T02:00:00+00:00", "incident": "F-1",
     "call": "k1", "channel": "999"},
    {"id": "p-2", "type": "IncidentGraded", "at": "2024-03-01T02:01:00+00:00", "incident": "F-1",
     "grade": "P1"},
    {"id": "p-3", "type": "IncidentClosed", "at": "2024-03-01T03:00:00+00:00", "incident": "F-1",
     "outcome": "no police action"},
    {"id": "p-4", "type": "CallReceived", "at": "2024-03-01T04:00:00+00:00", "incident": "F-2",
     "call": "k2", "channel": "101"},
    {"id": "p-5", "type": "IncidentGraded", "at": "2024-03-01T04:01:00+00:00", "incident": "F-2",
     "grade": "P3"},
]  # fmt: skip


@pytest.fixture
def stream(tmp_path: Path) -> Path:
    return write_stream(tmp_path / "force.jsonl", EVENTS)


def test_import_names_each_grade_code_the_default_policy_lacks(
    store_url: str, stream: Path
) -> None:
    """P1 and P3 under the built-in policy: one warning naming both, after the counts."""
    ran = ok("--store", store_url, "import", str(stream))
    assert ran.err.splitlines()[1:] == WARNING.splitlines()
    assert ran.out == ""


def test_import_under_a_policy_listing_the_codes_is_silent(store_url: str, stream: Path) -> None:
    """The force's own policy knows P1 and P3: nothing to warn of."""
    ran = ok("--store", store_url, "import", "--policy", str(FORCE_POLICY), str(stream))
    assert "warning" not in ran.err, ran.err


def test_reimport_warns_of_nothing_it_did_not_bring(store_url: str, stream: Path) -> None:
    """Only the gradings an import appends are its own: a repeat adds none, says nothing."""
    ok("--store", store_url, "import", str(stream))
    ran = ok("--store", store_url, "import", str(stream))
    assert "warning" not in ran.err, ran.err


def test_findings_and_incidents_warn_once_per_run(store_url: str, stream: Path) -> None:
    """Each read says it once on standard error; standard output stays machine-clean."""
    ok("--store", store_url, "import", "-q", str(stream))
    for command in (["findings"], ["incidents"], ["findings", "--format", "json"]):
        ran = ok("--store", store_url, *command)
        assert ran.err.count("warning: grade codes P1, P3") == 1, ran.err
    found = ok("--store", store_url, "findings", "--format", "json").out
    assert json.loads(found) == []


def test_incidents_policy_agrees_with_findings_policy(store_url: str, stream: Path) -> None:
    """Under the force policy F-1 (P1, closed unattended) has a finding, in both commands."""
    store = ["--store", store_url]
    ok(*store, "import", "-q", str(stream))
    policy = ["--policy", str(FORCE_POLICY)]
    rows = json.loads(ok(*store, "incidents", *policy, "--format", "json").out)
    found = json.loads(ok(*store, "findings", *policy, "--format", "json").out)
    assert [(r["incident"], r["findings"]) for r in rows] == [("F-1", 2), ("F-2", 0)]
    assert sorted(f["code"] for f in found if f["incident"] == "F-1") == [
        "closed-without-attendance",
        "response-target-missed",
    ]
    assert json.loads(ok(*store, "incidents", "--format", "json").out)[0]["findings"] == 0
    assert run(*store, "incidents", "--policy", str(FORCE_POLICY)).err.count("warning") == 0
