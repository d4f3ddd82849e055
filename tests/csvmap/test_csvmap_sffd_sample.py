"""The whole SFFD sample through mappings/sffd.toml, checked against the raw CSV read directly."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

import pytest

from ledger.inputs.csv import load_mapping, read_csv
from tests.csvmap.csvmap_support import SAMPLE, SFFD_MAPPING, payloads

NULL = "null"


@pytest.fixture(scope="module")
def events() -> list[dict[str, Any]]:
    """Every event of the sample, each checked to be a valid stream event."""
    return payloads(list(read_csv(SAMPLE, load_mapping(SFFD_MAPPING))))


@pytest.fixture(scope="module")
def raw_rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as file:
        return [dict(row) for row in csv.DictReader(file)]


def test_sample_converts_to_the_counts_the_raw_csv_gives(
    events: list[dict[str, Any]], raw_rows: list[dict[str, str]]
) -> None:
    """Incidents, units and events of each type match a count made from the CSV with csv alone."""
    assert len(raw_rows) == 4504
    incidents = {row["Incident Number"] for row in raw_rows}
    units = {row["Unit ID"] for row in raw_rows}
    assert (len(incidents), len(units)) == (2406, 178)
    assert {e["incident"] for e in events if "incident" in e} == incidents
    assert {e["unit"] for e in events if "unit" in e} == units

    def filled(column: str) -> int:
        return sum(row[column] != NULL for row in raw_rows)

    all_available: dict[str, bool] = defaultdict(lambda: True)
    for row in raw_rows:
        all_available[row["Incident Number"]] &= row["Available DtTm"] != NULL
    expected = {
        "CallReceived": len({row["Call Number"] for row in raw_rows}),
        "IncidentGraded": len(incidents),
        "UnitAllocated": filled("Dispatch DtTm"),
        "UnitEnRoute": filled("Response DtTm") + filled("Transport DtTm"),
        "UnitArrived": filled("On Scene DtTm") + filled("Hospital DtTm"),
        "UnitCleared": filled("Available DtTm"),
        "IncidentClosed": sum(all_available.values()),
    }
    assert Counter(e["type"] for e in events) == expected
    assert expected == {
        "CallReceived": 2406, "IncidentGraded": 2406, "UnitAllocated": 4504,
        "UnitEnRoute": 5649, "UnitArrived": 4871, "UnitCleared": 4504, "IncidentClosed": 2406,
    }  # fmt: skip
    assert len({e["id"] for e in events}) == len(events) == 26746


def test_sample_grades_follow_the_priority_column(
    events: list[dict[str, Any]], raw_rows: list[dict[str, str]]
) -> None:
    """Each incident is graded C3 for priority 3 or E and C2 for priority 2, as sffd.toml says."""
    priority = {row["Incident Number"]: row["Priority"] for row in raw_rows}
    grades = {e["incident"]: e["grade"] for e in events if e["type"] == "IncidentGraded"}
    assert grades == {inc: {"3": "C3", "E": "C3", "2": "C2"}[p] for inc, p in priority.items()}
    assert Counter(grades.values()) == {"C3": 1487, "C2": 919}


def _allocated_before_cleared(events: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    """(unit, first incident, next incident): allocated to the next while still on the first."""
    spans: dict[str, list[tuple[datetime, datetime, str]]] = defaultdict(list)
    when: dict[tuple[str, str, str], datetime] = {}
    for e in events:
        if e["type"] in ("UnitAllocated", "UnitCleared"):
            when[(e["type"], e["unit"], e["incident"])] = datetime.fromisoformat(e["at"])
    for (kind, unit, incident), at in when.items():
        if kind == "UnitAllocated":
            spans[unit].append((at, when[("UnitCleared", unit, incident)], incident))
    return {
        (unit, first, other)
        for unit, unit_spans in spans.items()
        for start, end, first in unit_spans
        for other_start, _, other in unit_spans
        if other != first and start <= other_start < end
    }


def test_sample_has_four_units_allocated_elsewhere_before_being_available(
    events: list[dict[str, Any]],
) -> None:
    """The four real diversions of the sample; no UnitDiverted is invented for them."""
    assert _allocated_before_cleared(events) == {
        ("B01", "18014254", "18014257"),
        ("AM102", "18014466", "18014471"),
        ("50", "19088388", "19088389"),
        ("E35", "18014458", "18014448"),
    }
    assert not [e for e in events if e["type"] in ("UnitDiverted", "UnitDeallocated")]


def test_b01_is_sent_to_a_new_alarm_while_on_scene_at_another(events: list[dict[str, Any]]) -> None:
    """B01, on scene at 18014254, is allocated to 18014257 and cleared of it without arriving."""
    b01 = [
        (e["type"], e["incident"], e["at"][11:19])
        for e in sorted(events, key=lambda e: e["at"])
        if e.get("unit") == "B01" and e["at"].startswith("2018-02-03T00:")
    ]
    assert b01 == [
        ("UnitAllocated", "18014254", "00:08:57"),
        ("UnitEnRoute", "18014254", "00:10:21"),
        ("UnitArrived", "18014254", "00:13:48"),
        ("UnitAllocated", "18014257", "00:16:16"),
        ("UnitCleared", "18014257", "00:19:16"),
        ("UnitCleared", "18014254", "00:27:34"),
    ]
    allocated = next(e for e in events if e["id"] == "sffd:180340049-B01:dispatch")
    assert allocated["at"] == "2018-02-03T00:16:16-08:00"  # PST: February
