"""Incidents with no reference: numbered by row ("@row"), or keyed by several columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.inputs.csv import MappingError
from tests.csvmap.csvmap_support import convert_text, payloads

MAPPING = """\
[source]
name = "t"
timezone = "America/New_York"
time_formats = ["%m/%d/%y %H:%M"]

[keys]
incident = "@row"
call = "@row"

[stages.received]
column = "Received"
event = "CallReceived"
fields = { channel = "other" }
columns = { summary = "Type" }
"""
ROWS = """
    Received,Type,Address
    1/4/17 9:05,FALL,100 MAIN ST
    1/4/17 9:05,FALL,200 HIGH ST
"""


def test_row_numbers_make_incidents_named_by_source_and_row(tmp_path: Path) -> None:
    """ "@row": each row is an incident and a call, NAME-ROW, so no other source shares them."""
    found = payloads(convert_text(tmp_path, MAPPING, ROWS))
    assert [(p["id"], p["incident"], p["call"]) for p in found] == [
        ("t:t-2:received", "t-2", "t-2"),
        ("t:t-3:received", "t-3", "t-3"),
    ]


def test_several_columns_make_one_key(tmp_path: Path) -> None:
    """A list of columns: their cells joined with "-" are the reference."""
    mapping = MAPPING.replace(
        'incident = "@row"\ncall = "@row"',
        'incident = ["Received", "Address"]\ncall = ["Received", "Address"]',
    )
    found = payloads(convert_text(tmp_path, mapping, ROWS))
    assert [p["incident"] for p in found] == ["1/4/17 9:05-100 MAIN ST", "1/4/17 9:05-200 HIGH ST"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'incident = "@row"',
            'incident = ["@row", "Type"]',
            r"keys\.incident: '@row' stands alone",
        ),
        ('call = "@row"', 'call = "@row"\nunit = "@row"', r"keys\.unit: a unit is a column"),
        (
            "[stages.received]",
            '[status]\ncolumn = "Type"\ncodes = { FALL = "received" }\n\n[stages.received]',
            r"keys\.incident: '@row' makes each row an incident, but in a status log",
        ),
    ],
)
def test_row_numbers_are_refused_where_they_cannot_mean_anything(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """ "@row" alone only, never as a unit, never in a status log (an incident spans rows)."""
    with pytest.raises(MappingError, match=message):
        convert_text(tmp_path, MAPPING.replace(old, new), ROWS)
