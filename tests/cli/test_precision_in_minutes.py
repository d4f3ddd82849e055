"""Item 8: "about 02:30": precision 5min/15min, or an explicit uncertainty, shown `≈±15 min`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.support import imported, ok, run, write_stream

EVENTS = [
    {"id": "q-1", "type": "CallReceived", "at": "2024-06-01T02:30:00+01:00", "incident": "Q-1",
     "call": "k1", "channel": "999", "precision": "15min"},
    {"id": "q-2", "type": "UnitAllocated", "at": "2024-06-01T02:40:00+01:00", "incident": "Q-1",
     "unit": "KD21", "uncertainty": "PT20M"},
    {"id": "q-3", "type": "UnitArrived", "at": "2024-06-01T02:50:00+01:00", "incident": "Q-1",
     "unit": "KD21", "uncertainty": "PT30S"},
    {"id": "q-4", "type": "CallEnded", "at": "2024-06-01T02:35:00+01:00", "call": "k1",
     "how": "caller-hung-up", "precision": "5min"},
]  # fmt: skip


@pytest.fixture
def store(store_url: str, tmp_path: Path) -> list[str]:
    return imported(store_url, write_stream(tmp_path / "q.jsonl", EVENTS))


def test_times_show_how_far_out_they_may_be(store: list[str]) -> None:
    """15min, 5min and PT20M are approximate (≈) with their ±; PT30S is exact enough."""
    out = ok(*store, "timeline", "Q-1", "--format", "md").out
    times = [line.split(" | ")[0][2:] for line in out.splitlines() if line.startswith("| ")][1:]
    assert times == [
        "≈ 2024-06-01 02:30:00 +01:00 ±15 min",
        "≈ 2024-06-01 02:35:00 +01:00 ±5 min",
        "≈ 2024-06-01 02:40:00 +01:00 ±20 min",
        "2024-06-01 02:50:00 +01:00 ±30 s",
    ]


def test_findings_resting_on_them_are_approximate(store: list[str]) -> None:
    """The cut-off call known to five minutes makes its finding approximate."""
    found = json.loads(ok(*store, "findings", "--at", "2024-06-01T03:00",
                          "--format", "json").out)  # fmt: skip
    cut_off = [f for f in found if f["code"] == "call-cut-off-without-callback"]
    assert [(f["evidence"][0], f["approximate"]) for f in cut_off] == [("q-4", True)]


def test_machine_formats_carry_precision_and_uncertainty_as_given(store: list[str]) -> None:
    """unit json: the stream's own values, not a display string."""
    records = json.loads(ok(*store, "unit", "KD21", "--format", "json").out)
    assert [(r["precision"], r["uncertainty"]) for r in records] == [
        ("second", "PT20M"),
        ("second", "PT30S"),
    ]


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        (
            "precision",
            "10min",
            "precision: Input should be 'second', 'minute', '5min', '15min', 'hour', 'day' or "
            "'month'",
        ),
        ("uncertainty", "20 minutes", "uncertainty: '20 minutes' is not an ISO 8601 duration"),
    ],
)
def test_a_precision_or_uncertainty_the_format_lacks_is_refused(
    tmp_path: Path, field: str, value: str, problem: str
) -> None:
    """Exit 2 naming the field; nothing is written."""
    stream = write_stream(tmp_path / "bad.jsonl", [{**EVENTS[0], field: value}])
    ran = run("--store", f"sqlite:///{tmp_path / 'l.db'}", "import", str(stream))
    assert ran.code == 2, ran.both
    assert ran.err.startswith(f"{stream}:1: {problem}"), ran.err
