"""Item 10: replay lists a marker once, steps at deadlines with findings opening and closing,
and gives scripts one JSON object a step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.support import INCIDENT, ok, seeded, write_stream

TWO_CALLS = [
    {"id": "r-1", "type": "MarkerAdded", "at": "2024-01-01T09:00:00+00:00",
     "subject": {"kind": "phone", "key": "07700 900123"}, "marker": "repeat-victim"},
    {"id": "r-2", "type": "CallReceived", "at": "2024-06-01T02:00:00+01:00", "incident": "M-1",
     "call": "k1", "channel": "999", "caller": {"phone": "07700 900123"}},
    {"id": "r-3", "type": "CallReceived", "at": "2024-06-01T02:05:00+01:00", "incident": "M-1",
     "call": "k2", "channel": "999", "caller": {"phone": "+44 7700 900123"}},
]  # fmt: skip


def test_a_marker_two_calls_match_is_listed_once(store_url: str, tmp_path: Path) -> None:
    """Both calls match the phone's marker; the panel names it once."""
    stream = write_stream(tmp_path / "m.jsonl", TWO_CALLS)
    store = ["--store", store_url]
    ok(*store, "import", "-q", "--timezone", "Europe/London", str(stream))
    last = ok(*store, "replay", "M-1", "--no-pause").out.split("\n\nstep ")[-1]
    assert last == (
        "3/3   clock 2024-06-01 02:05:00 +01:00\n"
        "  —: 999 call k2 from +44 7700 900123\n"
        "  → call k2 (999); marker repeat-victim active on phone:07700900123\n"
        "\n"
        "  incident M-1: open\n"
        "  grade    not graded\n"
        "  call     k1 (999) no end recorded\n"
        "  call     k2 (999) no end recorded\n"
        "  units    none committed\n"
        "  marker   repeat-victim on phone:07700900123: active\n"
        "\n"
    )


@pytest.fixture
def store(store_url: str) -> list[str]:
    return seeded(store_url)


def _step(out: str, number: int) -> str:
    return next(step for step in out.split("\n\nstep ") if step.startswith(f"{number}/"))


def test_a_finding_opens_where_the_clock_passes_its_deadline(store: list[str]) -> None:
    """The response target passes at 00:54 with no event: a step of its own says so."""
    out = ok(*store, "replay", INCIDENT, "--no-pause").out
    assert _step(out, 12).splitlines()[:3] == [
        "12/20   clock 2018-06-01 00:54:00 +01:00",
        "  the clock passes a deadline: response target passes",
        "  finding opens   high    response-target-missed: Graded S (target 1 h); no arrival",
    ]


def test_findings_close_at_the_event_that_ends_them(store: list[str]) -> None:
    """The first arrival at 03:00 ends both the unresourced stretch and the missed target."""
    step = _step(ok(*store, "replay", INCIDENT, "--no-pause").out, 17)
    assert [line for line in step.splitlines() if "finding" in line] == [
        "  finding closes  high    unresourced-after-diversion: Last unit CS41 diverted to "
        "MPS-2018-0601-0102; no unit committed for 2 h 45 min",
        "  finding closes  high    response-target-missed: Graded S (target 1 h); first arrival "
        "3 h 6 min after the call",
    ]


def test_jsonl_gives_one_object_a_step_for_scripts(store: list[str]) -> None:
    """20 steps: 14 events and 6 deadlines, each with its clock, findings and state."""
    ran = ok(*store, "replay", INCIDENT, "--format", "jsonl")
    steps = [json.loads(line) for line in ran.out.splitlines()]
    assert [s["kind"] for s in steps].count("deadline") == 6
    assert len(steps) == 20
    deadline = steps[11]
    assert (deadline["clock"], deadline["event"], deadline["deadlines"][0]["what"]) == (
        "2018-06-01T00:54:00+01:00",
        None,
        "response target passes",
    )
    assert [f["code"] for f in deadline["findings_opened"]] == ["response-target-missed"]
    assert deadline["state"]["units"] == [
        {"unit": "CS41", "status": "diverted-away", "committed": False}
    ]
    assert steps[0]["event"]["id"] == "mps-e01"
    assert ran.err.startswith("clock 2018-06-28 10:00:00 +01:00 (the ledger's latest time)")
