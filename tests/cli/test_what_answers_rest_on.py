"""Item 2: every answer for people states its clock, policy and zone, and what is pending."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.support import REPO, imported, ok, write_stream

# A call cut off at 02:43 with no callback yet, and a message not yet acknowledged: at the
# ledger's clock (02:43) neither finding exists, both are waiting on a deadline.
EVENTS = [
    {"id": "h-1", "type": "CallReceived", "at": "2024-06-01T02:40:00+01:00", "incident": "H-1",
     "call": "k1", "channel": "999", "summary": "noise next door"},
    {"id": "h-2", "type": "IncidentGraded", "at": "2024-06-01T02:41:00+01:00", "incident": "H-1",
     "grade": "E"},
    {"id": "h-3", "type": "RadioTransmission", "at": "2024-06-01T02:42:00+01:00",
     "transmission": "t1", "from": "control", "to": "KD21", "incident": "H-1",
     "message": "attend H-1"},
    {"id": "h-4", "type": "CallEnded", "at": "2024-06-01T02:43:00+01:00", "call": "k1",
     "how": "line-dropped"},
]  # fmt: skip
FACTS = (
    "clock 2024-06-01 02:43:00 +01:00 (the ledger's latest time) · policy built-in · zone "
    "Europe/London (the ledger's)"
)
PENDING = "2 findings pending: acknowledgement window ends 02:44, callback window ends 02:58"


@pytest.fixture
def store(store_url: str, tmp_path: Path) -> list[str]:
    return imported(store_url, write_stream(tmp_path / "h.jsonl", EVENTS))


def test_timeline_table_states_clock_policy_zone_and_pending(store: list[str]) -> None:
    """The header names the clock and why, the policy, the zone, and the two deadlines."""
    assert ok(*store, "timeline", "H-1").out == (
        "H-1\n"
        "clock 2024-06-01 02:43:00 +01:00 (the ledger's latest time) · policy built-in · zone "
        "Europe/London\n"
        "  (the ledger's)\n"
        f"{PENDING}\n"
        "\n"
        "time                        who  what happened                     what it changed\n"
        "──────────────────────────  ───  ────────────────────────────────  "
        "─────────────────────────────────\n"
        "2024-06-01 02:40:00 +01:00       999 call k1 «noise next door»     first call k1 (999)\n"
        "2024-06-01 02:41:00 +01:00       graded E                          graded E\n"
        "2024-06-01 02:42:00 +01:00       radio t1: control → KD21 «attend  control → KD21: "
        "message t1\n"
        "                                 H-1»                              awaiting "
        "acknowledgement\n"
        "2024-06-01 02:43:00 +01:00       call k1 cut off: line dropped     call k1 cut off "
        "(line-dropped)\n"
    )


def test_findings_md_states_the_same_and_says_there_are_none_yet(store: list[str]) -> None:
    """md carries the header lines as paragraphs; no finding exists before the deadlines."""
    assert ok(*store, "findings", "H-1", "--format", "md").out == (
        f"{FACTS}\n\n{PENDING}\n\n_no findings_\n"
    )


def test_findings_json_keeps_its_array_and_says_the_clock_on_stderr(store: list[str]) -> None:
    """Standard output is the bare array; standard error the clock, policy and zone."""
    ran = ok(*store, "findings", "--format", "json")
    assert json.loads(ran.out) == []
    assert ran.err == FACTS + "\n"


def test_moving_the_clock_past_the_deadlines_says_so_and_shows_them(store: list[str]) -> None:
    """--at 03:00 (read in the ledger's zone) names --at as the clock; both findings exist."""
    ran = ok(*store, "findings", "--at", "2024-06-01T03:00", "--format", "csv")
    assert ran.err == (
        "--at 2024-06-01T03:00 read as 2024-06-01T03:00:00+01:00 (Europe/London)\n"
        "clock 2024-06-01 03:00:00 +01:00 (--at) · policy built-in · zone Europe/London "
        "(the ledger's)\n"
    )
    assert [line.split(",")[0] for line in ran.out.splitlines()] == [
        "code",
        "transmission-unacknowledged",
        "call-cut-off-without-callback",
    ]


def test_a_policy_file_is_named_in_the_header(store: list[str]) -> None:
    """Under --policy FILE the header names the file, and its callback window moves."""
    policy = REPO / "tests" / "streams" / "force-policy" / "force-policy.policy.toml"
    ran = ok(*store, "incidents", "--policy", str(policy), "--format", "csv")
    assert ran.err == (
        f"warning: grade code E is not in the policy in force ({policy}: P1, P2, P3): "
        "incidents graded with it get no response target, attendance or downgrade check; "
        "give a policy that lists it (--policy FILE)\n"
        f"clock 2024-06-01 02:43:00 +01:00 (the ledger's latest time) · policy {policy} · zone "
        "Europe/London (the ledger's)\n"
    )
    ran = ok(*store, "incidents", "--policy", str(policy), env={"COLUMNS": "300"})
    assert ran.out.splitlines()[1] == (
        "2 findings pending: acknowledgement window ends 02:44 (H-1), callback window ends "
        "03:03 (H-1)"
    )


def test_replay_states_the_same_above_its_steps(store: list[str]) -> None:
    """The replay's header is the timeline's: clock, policy, zone, pending."""
    out = ok(*store, "replay", "H-1", "--no-pause").out
    assert out.startswith(
        "H-1\n"
        "clock 2024-06-01 02:43:00 +01:00 (the ledger's latest time) · policy built-in · zone "
        f"Europe/London\n  (the ledger's)\n{PENDING}\n\nstep 1/4   clock 2024-06-01 02:40:00"
    )
