"""Item 5: machine formats carry ISO 8601 instants and `precision`, never display strings."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from tests.cli.support import INCIDENT, ok, seeded


@pytest.fixture
def store(store_url: str) -> list[str]:
    return seeded(store_url)


def test_findings_csv_has_the_machine_columns(store: list[str]) -> None:
    """code, incident, severity, start, end, approximate, evidence, summary; ISO instants."""
    out = ok(*store, "findings", INCIDENT, "--format", "csv").out
    lines = out.splitlines()
    assert lines[0] == "code,incident,severity,start,end,approximate,evidence,summary"
    assert lines[1] == (
        "marker-removed-before-call,MPS-2018-0531-8842,medium,2018-01-01T00:00:00+00:00,"
        '2018-05-31T23:54:00+01:00,true,mps-e05 mps-e02,"Call mps-call-1 matches premises:flat '
        "3 27 nowhere road london, whose marker domestic-abuse-priority was removed 150 d 22 h "
        '54 min before the call"'
    )


def test_findings_csv_leaves_an_open_end_and_no_incident_empty(store: list[str]) -> None:
    """A stretch still open at the clock has an empty `end`, not "still open"."""
    out = ok(*store, "findings", "--at", "2018-06-01T00:30:00+01:00", "--format", "csv").out
    rows = list(csv.DictReader(io.StringIO(out)))
    still_open = [row for row in rows if row["code"] == "unresourced-after-diversion"]
    assert [(row["start"], row["end"]) for row in still_open] == [("2018-06-01T00:15:00+01:00", "")]


def test_unit_json_gives_instants_and_precision(store: list[str]) -> None:
    """The issue's example: no `"time": "≈ 2017-…"`, but `at` as recorded and `precision`."""
    first = json.loads(ok(*store, "unit", "CS41", "--format", "json").out)[0]
    assert first == {
        "at": "2018-06-01T00:05:00+01:00",
        "precision": "hour",
        "uncertainty": None,
        "event": "mps-e08",
        "type": "UnitAllocated",
        "incidents": ["MPS-2018-0531-8842"],
        "what": "CS41 allocated to MPS-2018-0531-8842 — IOPC: two officers were initially "
        "allocated. Call sign fictional; time ASSUMED.",
        "source": "cad",
    }


def test_timeline_csv_gives_the_instant_as_recorded_and_its_precision(store: list[str]) -> None:
    """The marker removed in January keeps its +00:00; its precision says month."""
    out = ok(*store, "timeline", INCIDENT, "--format", "csv").out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == [
        "at",
        "precision",
        "uncertainty",
        "event",
        "type",
        "who",
        "what happened",
        "what it changed",
    ]
    assert [(r["at"], r["precision"], r["event"]) for r in rows[:3]] == [
        ("2017-06-01T00:00:00+01:00", "month", "mps-e01"),
        ("2018-01-01T00:00:00+00:00", "month", "mps-e02"),
        ("2018-05-31T23:54:00+01:00", "minute", "mps-e05"),
    ]


TIME_KEYS = {"at", "clock", "start", "end", "due", "deadline", "first_call", "recorded_at"}


@pytest.mark.parametrize(
    "command",
    [
        ["incidents"],
        ["timeline", INCIDENT],
        ["unit", "CS41"],
        ["findings"],
        ["replay", INCIDENT],
    ],
)
def test_no_machine_format_of_any_command_carries_a_display_string(
    store: list[str], command: list[str]
) -> None:
    """Every time value is ISO 8601 (`2018-06-01T00:15:00+01:00`): no `≈`, no display form."""
    formats = ["jsonl"] if command[0] == "replay" else ["json", "jsonl", "csv"]
    for fmt in formats:
        out = ok(*store, *command, "--format", fmt, "--at", "2018-06-01T01:00:00+01:00").out
        if fmt == "json":
            data: object = json.loads(out)
        elif fmt == "jsonl":
            data = [json.loads(line) for line in out.splitlines()]
        else:
            data = list(csv.DictReader(io.StringIO(out)))
        times = _times(data)
        assert times, f"{command} {fmt} shows no time"
        for text in times:
            assert ISO.fullmatch(text), (command, fmt, text)


ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)")


def _times(data: object, key: str = "") -> list[str]:
    """Every non-empty value held under a time's name, however deep."""
    if isinstance(data, dict):
        return [t for name, item in data.items() for t in _times(item, name)]
    if isinstance(data, list):
        return [t for item in data for t in _times(item, key)]
    return [data] if isinstance(data, str) and data and key in TIME_KEYS else []
