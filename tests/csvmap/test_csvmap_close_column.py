"""[close] rule = "column": an incident closes at a call-level time column, and no UnitCleared
is made unless the mapping makes one itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger.inputs.csv import MappingError
from tests.csvmap.csvmap_support import PER_CALL, convert_text, of_type, payloads

CLOSING = (
    PER_CALL
    + """
[close]
rule = "column"
column = "Closed"
outcome = "Disposition"
default_outcome = "closed"
"""
)
ROWS = """
    Call,Squad,Received,Dispatched,On Scene,Closed,Disposition
    1,R10,1/4/17 14:31,1/4/17 14:33,1/4/17 14:40,1/4/17 15:02,transported
    2,,1/4/17 14:35,,,1/4/17 14:39,
    3,R09,1/4/17 14:50,1/4/17 14:52,,,
"""


def test_incident_closes_at_its_close_column_with_no_unit_cleared(tmp_path: Path) -> None:
    """Calls 1 and 2 close at their CloseDateandTime; call 3, with none, stays open."""
    found = payloads(convert_text(tmp_path, CLOSING, ROWS))
    closed = [(p["incident"], p["at"], p["outcome"]) for p in of_type(found, "IncidentClosed")]
    assert closed == [
        ("1", "2017-01-04T15:02:00-05:00", "transported"),
        ("2", "2017-01-04T14:39:00-05:00", "closed"),  # the outcome cell is null: the default
    ]
    assert of_type(found, "UnitCleared") == []
    assert {p.get("precision") for p in of_type(found, "IncidentClosed")} == {"minute"}


def test_units_clear_at_the_close_only_when_a_stage_says_so(tmp_path: Path) -> None:
    """A stage reading the close column as UnitCleared is how a mapping says the unit cleared."""
    mapping = CLOSING.replace(
        "[close]", '[stages.cleared]\ncolumn = "Closed"\nevent = "UnitCleared"\n\n[close]'
    )
    found = payloads(convert_text(tmp_path, mapping, ROWS))
    assert [(p["unit"], p["at"]) for p in of_type(found, "UnitCleared")] == [
        ("R10", "2017-01-04T15:02:00-05:00")
    ]


def test_rows_of_one_incident_close_it_at_the_latest_time(tmp_path: Path) -> None:
    """Per-unit rows repeating a call-level close time may differ: the latest one closes it."""
    mapping = CLOSING.replace('row = "Call"', 'row = ["Call", "Squad"]')
    rows = """
        Call,Squad,Received,Dispatched,On Scene,Closed,Disposition
        1,R10,1/4/17 14:31,1/4/17 14:33,1/4/17 14:40,1/4/17 15:02,transported
        1,R14,1/4/17 14:31,1/4/17 14:34,1/4/17 14:41,1/4/17 15:10,treated
        1,R16,1/4/17 14:31,1/4/17 14:34,1/4/17 14:41,,
    """
    (closed,) = of_type(payloads(convert_text(tmp_path, mapping, rows)), "IncidentClosed")
    assert (closed["at"], closed["outcome"]) == ("2017-01-04T15:10:00-05:00", "treated")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('column = "Closed"\n', "", "close.column: required"),
        ('rule = "column"', 'rule = "last-unit-available"', "close.column: only with rule"),
    ],
)
def test_close_column_goes_with_the_column_rule(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """rule = "column" needs close.column; the other rule refuses one."""
    with pytest.raises(MappingError, match=message):
        convert_text(tmp_path, CLOSING.replace(old, new), ROWS)
