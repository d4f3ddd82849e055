"""[columns.NAME]: null literals of one column, and value maps for any column."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.inputs.csv import MappingError
from tests.csvmap.csvmap_support import convert_text, of_type, payloads, problems

MAPPING = """\
[source]
name = "t"
timezone = "America/New_York"
time_formats = ["%m/%d/%y %H:%M"]
nulls = ["", "NA"]

[keys]
incident = "Call"
call = "Call"
unit = "Unit"
row = "Call"

[location]
address = "Address"
lat = "Y"
lon = "X"

[columns.X]
nulls = ["0"]

[columns.Y]
nulls = ["0"]

[columns.Priority]
values = { "Priority 1" = "P1", "Priority 2" = "P2" }

[columns.Unit]
values = { "MEDIC 5" = "M5" }
default = "other"

[stages.received]
column = "Received"
event = "CallReceived"
location = true
fields = { channel = "other" }

[stages.dispatch]
column = "Dispatched"
event = "UnitAllocated"

[grade]
column = "Priority"
at = "Received"
"""
HEADER = "Call,Unit,Priority,Address,X,Y,Received,Dispatched\n"


def _events(tmp_path: Path, *rows: str, mapping: str = MAPPING) -> list[dict[str, object]]:
    return payloads(convert_text(tmp_path, mapping, HEADER + "".join(rows)))


def test_zero_coordinates_are_no_coordinates(tmp_path: Path) -> None:
    """X/Y = 0 is null for those columns only: the address stays, no point at 0,0."""
    (call,) = of_type(_events(tmp_path, "1,MEDIC 5,Priority 1,100 MAIN ST,0,0,1/4/17 9:05,\n"),
                      "CallReceived")  # fmt: skip
    assert call["location"] == {"address": "100 MAIN ST"}
    (call,) = of_type(_events(tmp_path, "1,MEDIC 5,Priority 1,NA,-76.05,36.8,1/4/17 9:05,\n"),
                      "CallReceived")  # fmt: skip
    assert call["location"] == {"lat": 36.8, "lon": -76.05}


def test_a_value_map_gives_the_grade_code_and_keeps_the_raw_cell(tmp_path: Path) -> None:
    """'Priority 2' is graded P2 (grade.values is not needed); the rationale quotes the cell."""
    (graded,) = of_type(_events(tmp_path, "1,M5,Priority 2,A,0,0,1/4/17 9:05,\n"), "IncidentGraded")
    assert (graded["grade"], graded["rationale"]) == ("P2", "Priority Priority 2")


def test_a_value_map_applies_to_any_column_with_its_default(tmp_path: Path) -> None:
    """Unit 'MEDIC 5' becomes M5; a unit the map does not list takes its default."""
    found = _events(
        tmp_path,
        "1,MEDIC 5,Priority 1,A,0,0,1/4/17 9:05,1/4/17 9:06\n",
        "2,ENGINE 9,Priority 1,A,0,0,1/4/17 9:05,1/4/17 9:07\n",
    )
    assert [p["unit"] for p in of_type(found, "UnitAllocated")] == ["M5", "other"]


def test_a_value_the_map_lacks_is_a_problem_without_a_default(tmp_path: Path) -> None:
    """An unmapped priority names the column and the map's key, and lists the known values."""
    table = HEADER + "1,M5,Priority 9,A,0,0,1/4/17 9:05,\n"
    assert problems(convert_text(tmp_path, MAPPING, table)) == [
        (2, "Priority", "'Priority 9' is not a value of columns.Priority.values "
         "(Priority 1, Priority 2)"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('values = { "MEDIC 5" = "M5" }\n', "", r"columns\.Unit\.default: a default for values"),
        ('nulls = ["0"]', "nulls = [0]", r"columns\.X\.nulls: must be a string or an array"),
        ('"Priority 2" = "P2"', '"Priority 2" = 2', r'columns\.Priority\.values\."Priority 2": '),
        ("[columns.X]", "[columns.XX]", r"columns\.XX: 'XX' is not a column of .* \(did you mean"),
    ],
)
def test_a_bad_column_rule_is_refused_naming_its_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """Each mistake in [columns] names the key at fault (a column name, quoted when needed)."""
    assert old in MAPPING
    with pytest.raises(MappingError, match=message):
        convert_text(tmp_path, MAPPING.replace(old, new), HEADER)
