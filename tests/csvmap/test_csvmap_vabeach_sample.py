"""The whole Virginia Beach sample through mappings/vabeach.toml, checked against the raw CSV."""

from __future__ import annotations

import csv
import tomllib
from collections import Counter
from typing import Any

import pytest

from ledger.inputs.csv import load_mapping, read_csv
from tests.csvmap.csvmap_support import REPO, payloads

SAMPLE = REPO / "tests" / "data" / "vabeach_ems_calls_2017_18_sample.csv"
MAPPING = REPO / "mappings" / "vabeach.toml"
POLICY = REPO / "mappings" / "vabeach-policy.toml"


@pytest.fixture(scope="module")
def events() -> list[dict[str, Any]]:
    """Every event of the sample, each checked to be a valid stream event."""
    return payloads(list(read_csv(SAMPLE, load_mapping(MAPPING))))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def test_sample_converts_to_the_counts_the_raw_csv_gives(
    events: list[dict[str, Any]], rows: list[dict[str, str]]
) -> None:
    """One call, grading and closing per row; a unit event per filled stage time; no clearing."""

    def filled(column: str) -> int:
        return sum(row[column] != "" for row in rows)

    assert Counter(e["type"] for e in events) == {
        "CallReceived": len(rows),
        "IncidentGraded": len(rows),
        "IncidentClosed": filled("CloseDateandTime"),
        "UnitAllocated": filled("DispatchDateandTime"),
        "UnitEnRoute": filled("EnrouteDateandTime"),
        "UnitArrived": filled("OnSceneDateandTime"),
    }
    assert (len(rows), filled("DispatchDateandTime"), filled("OnSceneDateandTime")) == (
        965, 952, 885,
    )  # fmt: skip


def test_the_byte_order_mark_is_not_part_of_the_first_column(
    events: list[dict[str, Any]],
) -> None:
    """EMSCallNumber is found (the BOM is dropped), and every event is minute precision."""
    assert {e["precision"] for e in events} == {"minute"}
    assert all(e["id"].startswith("vabeach:1") for e in events)


def test_no_coordinates_are_invented_from_zeroes(events: list[dict[str, Any]]) -> None:
    """X/Y = 0 on every row: locations carry the block address and no lat/lon."""
    places = [e["location"] for e in events if "location" in e]
    assert places
    assert all(set(place) == {"address"} for place in places)
    assert places[0]["address"] == "100 264E WITCHDUCK, Virginia Beach, VA"


def test_every_grade_the_mapping_gives_is_in_the_policy() -> None:
    """P1, P2, P3 and P5 are all grades of vabeach-policy.toml, most urgent first."""
    policy = tomllib.loads(POLICY.read_text(encoding="utf-8"))
    mapping = load_mapping(MAPPING)
    assert mapping.grading is not None
    assert mapping.grading.values is not None
    assert list(policy["grades"]) == ["P1", "P2", "P3", "P5"]
    assert set(mapping.grading.values.values()) == set(policy["grades"])
    assert "ILLUSTRATIVE" in POLICY.read_text(encoding="utf-8")
