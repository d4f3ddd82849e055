"""A status log (one row per unit status change, unsorted) through a [status] table: the SFFD
sample converted to that shape gives exactly the events of the wide SFFD mapping."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import orjson
import pytest

from ledger.errors import InvalidInput
from ledger.inputs.csv import load_mapping, read_csv
from ledger.store.ledger import Ledger
from ledger.write.importer import import_records
from tests.csvmap.csvmap_support import (
    REPO,
    SAMPLE,
    SFFD_MAPPING,
    convert_text,
    of_type,
    payloads,
    problems,
)

DATA = REPO / "tests" / "data"
LOG = DATA / "sffd_status_log_sample.csv"
LOG_MAPPING = DATA / "sffd_status_log.toml"


def _canonical(path: Path, mapping: Path) -> list[bytes]:
    events = payloads(list(read_csv(path, load_mapping(mapping))))
    return sorted(orjson.dumps(event, option=orjson.OPT_SORT_KEYS) for event in events)


def test_the_derived_status_log_is_what_its_converter_makes() -> None:
    """tests/data/sffd_status_log_sample.csv is reproducible from the real sample."""
    spec = importlib.util.spec_from_file_location("converter", DATA / "make_sffd_status_log.py")
    assert spec is not None
    assert spec.loader is not None
    converter = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(converter)
    assert LOG.read_text(encoding="utf-8") == converter.render()


def test_status_log_gives_the_same_events_as_the_wide_export() -> None:
    """19,528 unsorted status rows make the 26,746 events the 4,504 wide rows make, ids and all."""
    wide = _canonical(SAMPLE, SFFD_MAPPING)
    assert len(wide) == len(set(wide)) == 26746
    assert _canonical(LOG, LOG_MAPPING) == wide


MAPPING = """\
[source]
name = "t"
timezone = "Europe/London"
time_formats = ["%Y-%m-%d %H:%M:%S"]

[keys]
incident = "INC"
call = "INC"
unit = "UNIT"
row = ["INC", "UNIT"]

[status]
column = "CODE"
codes = { DISP = "dispatch", ENRT = "en_route", ONSC = "on_scene", AVL = "available" }
ignore = ["NOTE"]

[stages.received]
column = "CALL_TIME"
event = "CallReceived"
fields = { channel = "999" }

[stages.dispatch]
column = "AT"
event = "UnitAllocated"

[stages.en_route]
column = "AT"
event = "UnitEnRoute"

[stages.on_scene]
column = "AT"
event = "UnitArrived"

[stages.available]
column = "AT"
event = "UnitCleared"

[close]
rule = "last-unit-available"
default_outcome = "resolved"
"""
HEADER = "INC,CALL_TIME,UNIT,CODE,AT\n"
ROWS = [
    "1,2024-03-01 10:00:00,A1,AVL,2024-03-01 10:40:00\n",
    "1,2024-03-01 10:00:00,A1,DISP,2024-03-01 10:02:00\n",
    "1,2024-03-01 10:00:00,B2,ONSC,2024-03-01 10:20:00\n",
    "1,2024-03-01 10:00:00,A1,NOTE,2024-03-01 10:05:00\n",
    "1,2024-03-01 10:00:00,B2,DISP,2024-03-01 10:03:00\n",
    "1,2024-03-01 10:00:00,A1,ONSC,2024-03-01 10:15:00\n",
]


def test_each_status_row_makes_the_event_its_code_names(tmp_path: Path) -> None:
    """One event per status row (NOTE ignored), the call once; rows need not be sorted."""
    found = payloads(convert_text(tmp_path, MAPPING, HEADER + "".join(ROWS)))
    assert sorted((p["type"], p.get("unit", ""), p["at"][11:16]) for p in found) == [
        ("CallReceived", "", "10:00"),
        ("UnitAllocated", "A1", "10:02"),
        ("UnitAllocated", "B2", "10:03"),
        ("UnitArrived", "A1", "10:15"),
        ("UnitArrived", "B2", "10:20"),
        ("UnitCleared", "A1", "10:40"),
    ]
    shuffled = ROWS.copy()
    random.Random(1).shuffle(shuffled)
    again = payloads(convert_text(tmp_path, MAPPING, HEADER + "".join(shuffled)))
    assert sorted(map(orjson.dumps, again)) == sorted(map(orjson.dumps, found))


def test_incident_closes_only_when_every_unit_response_has_cleared(tmp_path: Path) -> None:
    """B2 never clears: open. Once it does, closed at the later of the two clearings."""
    assert of_type(payloads(convert_text(tmp_path, MAPPING, HEADER + "".join(ROWS))),
                   "IncidentClosed") == []  # fmt: skip
    cleared = "1,2024-03-01 10:00:00,B2,AVL,2024-03-01 10:55:00\n"
    found = payloads(convert_text(tmp_path, MAPPING, HEADER + cleared + "".join(ROWS)))
    (closed,) = of_type(found, "IncidentClosed")
    assert (closed["at"], closed["outcome"]) == ("2024-03-01T10:55:00+00:00", "resolved")


def test_a_status_code_the_mapping_does_not_know_is_a_problem(tmp_path: Path) -> None:
    """Neither in status.codes nor in status.ignore: the row is refused, naming the codes."""
    table = HEADER + "1,2024-03-01 10:00:00,A1,XFER,2024-03-01 10:30:00\n"
    assert problems(convert_text(tmp_path, MAPPING, table)) == [
        (2, "CODE", "'XFER' is not a code of status.codes (DISP, ENRT, ON"
         "SC, AVL) nor in status.ignore"),
    ]  # fmt: skip


def test_a_status_repeated_at_another_time_is_refused_at_import(tmp_path: Path) -> None:
    """Two DISP rows for one response make one id twice: the import writes nothing."""
    table = HEADER + "".join(ROWS) + "1,2024-03-01 10:00:00,A1,DISP,2024-03-01 10:09:00\n"
    records = convert_text(tmp_path, MAPPING, table)
    url = f"sqlite:///{tmp_path / 'l.db'}"
    with Ledger.open(url, must_exist=False) as ledger, pytest.raises(InvalidInput) as raised:
        import_records(ledger, records)
    assert [(p.line, p.field) for p in raised.value.problems] == [(8, "id")]
