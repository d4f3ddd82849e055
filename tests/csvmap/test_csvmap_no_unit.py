"""Rows with no unit (calls never dispatched): their call events are made, their unit events not."""

from __future__ import annotations

from pathlib import Path

from tests.csvmap.csvmap_support import PER_CALL, convert_text, payloads, problems

ROWS = """
    Call,Squad,Received,Dispatched,On Scene
    1,R10,1/4/17 14:31,1/4/17 14:33,1/4/17 14:40
    2,,1/4/17 14:35,,
"""


def test_null_unit_makes_the_call_but_no_unit_event(tmp_path: Path) -> None:
    """With keys.unit_optional, a row with no squad still makes its CallReceived, nothing else."""
    found = payloads(convert_text(tmp_path, PER_CALL, ROWS))
    assert [(p["id"], p["type"]) for p in found] == [
        ("t:1:received", "CallReceived"),
        ("t:1:dispatch", "UnitAllocated"),
        ("t:1:on_scene", "UnitArrived"),
        ("t:2:received", "CallReceived"),
    ]


def test_required_unit_stage_is_not_required_of_a_row_with_no_unit(tmp_path: Path) -> None:
    """The dispatch stage is required, but a row with no unit has nothing to require it of."""
    assert problems(convert_text(tmp_path, PER_CALL, ROWS)) == []


def test_without_unit_optional_a_null_unit_is_a_problem(tmp_path: Path) -> None:
    """The default: a row that would make a unit event but names no unit is refused."""
    mapping = PER_CALL.replace("unit_optional = true\n", "")
    assert problems(convert_text(tmp_path, mapping, ROWS)) == [
        (3, "Squad", "null ('') where a value is required")
    ]


def test_a_stage_may_allow_no_unit_on_its_own(tmp_path: Path) -> None:
    """stages.NAME.unit_optional: that stage is skipped for a row with no unit; others are not."""
    mapping = PER_CALL.replace("unit_optional = true\n", "")
    mapping = mapping.replace(
        'event = "UnitAllocated"\n', 'event = "UnitAllocated"\nunit_optional = true\n'
    )
    table = ROWS.replace("2,,1/4/17 14:35,,", "2,,1/4/17 14:35,,1/4/17 14:50")
    found = convert_text(tmp_path, mapping, table)
    assert problems(found) == [(3, "Squad", "null ('') where a value is required")]
    only_dispatch = ROWS.replace("2,,1/4/17 14:35,,", "2,,1/4/17 14:35,1/4/17 14:36,")
    assert problems(convert_text(tmp_path, mapping, only_dispatch)) == []
