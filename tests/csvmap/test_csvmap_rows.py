"""Turning CAD rows into events: each stage, nulls, bad cells as Problems, stable ids, closing."""

from __future__ import annotations

from pathlib import Path

from ledger.inputs.csv import load_mapping, read_csv
from ledger.store.ledger import Ledger
from ledger.write.importer import import_records
from ledger.write.records import RawRecord
from tests.csvmap.csvmap_support import (
    HEADER,
    convert,
    of_type,
    payloads,
    problems,
    unit_row,
    write_csv,
    write_mapping,
)

LOCATION = {"address": "24TH ST/VALENCIA ST", "lat": 37.75210364574824, "lon": -122.42066480228367}


def test_each_stage_column_makes_its_event_with_a_local_offset(tmp_path: Path) -> None:
    """One row makes the call, grading, each unit stage and the closing, at PDT (-07:00) times."""
    found = payloads(convert(tmp_path, [unit_row()]))
    assert found == [
        {"id": "t:100:received", "type": "CallReceived", "at": "2019-10-18T00:03:52-07:00",
         "source": "cad", "recorded_at": "2019-10-18T00:06:59-07:00", "incident": "900",
         "call": "100", "channel": "other", "summary": "Alarms", "location": LOCATION},
        {"id": "t:100-E11:dispatch", "type": "UnitAllocated", "at": "2019-10-18T00:07:05-07:00",
         "source": "cad", "incident": "900", "unit": "E11"},
        {"id": "t:100-E11:en_route", "type": "UnitEnRoute", "at": "2019-10-18T00:08:28-07:00",
         "source": "cad", "incident": "900", "unit": "E11"},
        {"id": "t:100-E11:on_scene", "type": "UnitArrived", "at": "2019-10-18T00:11:10-07:00",
         "source": "cad", "incident": "900", "unit": "E11", "location": LOCATION},
        {"id": "t:100-E11:available", "type": "UnitCleared", "at": "2019-10-18T00:33:57-07:00",
         "source": "cad", "incident": "900", "unit": "E11"},
        {"id": "t:900:graded", "type": "IncidentGraded", "at": "2019-10-18T00:06:59-07:00",
         "source": "cad", "incident": "900", "grade": "C3", "rationale": "Priority 3"},
        {"id": "t:900:closed", "type": "IncidentClosed", "at": "2019-10-18T00:33:57-07:00",
         "source": "cad", "incident": "900", "outcome": "Fire"},
    ]  # fmt: skip


def test_call_and_grading_are_made_once_per_call_not_per_unit_row(tmp_path: Path) -> None:
    """Three unit rows on one call: one CallReceived, one IncidentGraded, three allocations."""
    rows = [unit_row(unit=unit) for unit in ("E11", "T07", "B10")]
    found = payloads(convert(tmp_path, rows))
    assert len(of_type(found, "CallReceived")) == 1
    assert len(of_type(found, "IncidentGraded")) == 1
    assert [p["unit"] for p in of_type(found, "UnitAllocated")] == ["E11", "T07", "B10"]


def test_null_stage_cells_make_no_event(tmp_path: Path) -> None:
    """A unit that never went en route nor arrived ("null", or an empty cell) gets neither event."""
    rows = [
        unit_row(unit="E11", **{"Response DtTm": "null", "On Scene DtTm": "null"}),
        unit_row(unit="T07", **{"Response DtTm": "", "On Scene DtTm": ""}),
    ]
    found = payloads(convert(tmp_path, rows))
    assert {p["type"] for p in found} == {
        "CallReceived", "UnitAllocated", "UnitCleared", "IncidentGraded", "IncidentClosed",
    }  # fmt: skip


def test_bad_cells_become_problems_naming_row_and_column(tmp_path: Path) -> None:
    """Each bad cell is a Problem at its spreadsheet row (header = 1) and column; no event of it."""
    rows = [
        unit_row(call="1"),
        unit_row(call="2", **{"On Scene DtTm": "10/18/2019 25:11:10 AM"}),
        unit_row(call="3", **{"Dispatch DtTm": "null"}),
        unit_row(call="4", Priority="9"),
        unit_row(call="5", Location="POINT (north south)"),
        unit_row(call="6", **{"Entry DtTm": "10/18/2019 12:00:00 AM"}),
        unit_row(call="7", **{"Unit ID": ""}),
    ]
    records = convert(tmp_path, rows)
    assert problems(records) == [
        (3, "On Scene DtTm", "'10/18/2019 25:11:10 AM' is not a time in the form "
         "%m/%d/%Y %I:%M:%S %p"),
        (4, "Dispatch DtTm", "null ('null') where a value is required"),
        (5, "Priority", "'9' is not a value of grade.values (3, 2)"),
        (6, "Location", "'POINT (north south)' is not a point in the form POINT (lon lat)"),
        (7, "Entry DtTm", "is earlier than Received DtTm"),
        (8, "Unit ID", "null ('') where a value is required"),
    ]  # fmt: skip
    events = [r for r in records if isinstance(r, RawRecord)]
    assert {r.line for r in events} == {2}  # the bad rows make nothing, not even a closing


def test_row_with_the_wrong_number_of_cells_is_a_problem(tmp_path: Path) -> None:
    """A row shorter than the header is reported on its own row, with no column."""
    mapping = load_mapping(write_mapping(tmp_path / "map.toml"))
    path = write_csv(tmp_path / "calls.csv", [unit_row()])
    with path.open("a", encoding="utf-8") as file:
        file.write("101,E12,901\n")
    found = problems(list(read_csv(path, mapping)))
    assert found == [(3, "", f"has 3 cells, the header {len(HEADER)}")]


def test_rows_are_counted_as_records_not_lines(tmp_path: Path) -> None:
    """A quoted cell spanning two lines is one spreadsheet row: the next row's number is not off."""
    rows = [unit_row(call="1", Address="24TH ST\nVALENCIA ST"), unit_row(call="2", Priority="9")]
    assert [(row, column) for row, column, _ in problems(convert(tmp_path, rows))] == [
        (3, "Priority")
    ]


def test_empty_file_is_one_problem_on_row_one(tmp_path: Path) -> None:
    """A file without even a header is a Problem, not a silent success."""
    mapping = load_mapping(write_mapping(tmp_path / "map.toml"))
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    assert problems(list(read_csv(path, mapping))) == [
        (1, "", "the file is empty: it has no header row")
    ]


def test_rows_of_one_call_that_disagree_are_a_problem(tmp_path: Path) -> None:
    """Two unit rows giving one call different received times cannot both be the call."""
    rows = [
        unit_row(unit="E11"),
        unit_row(unit="T07", **{"Received DtTm": "10/18/2019 12:03:53 AM"}),
    ]
    found = problems(convert(tmp_path, rows))
    assert len(found) == 1
    assert found[0][:2] == (3, "Received DtTm")
    assert "differs from row 2, which made t:100:received" in found[0][2]


def test_ids_are_stable_across_runs_so_importing_again_adds_nothing(tmp_path: Path) -> None:
    """The same file converts to the same events; a second import adds none and skips all."""
    rows = [unit_row(unit="E11"), unit_row(unit="T07"), unit_row(call="101", incident="901")]
    first, second = payloads(convert(tmp_path, rows)), payloads(convert(tmp_path, rows))
    assert first == second
    assert len({p["id"] for p in first}) == len(first)
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    mapping = load_mapping(tmp_path / "map.toml")
    results = []
    for _ in range(2):
        with Ledger.open(url, must_exist=False) as ledger:
            result = import_records(ledger, read_csv(tmp_path / "calls.csv", mapping))
        results.append((result.added, result.skipped))
    assert results == [(len(first), 0), (0, len(first))]


def test_incident_closes_at_its_last_units_available_time(tmp_path: Path) -> None:
    """IncidentClosed takes the latest Available of the incident's rows, whatever their order."""
    rows = [
        unit_row(unit="E11", **{"Available DtTm": "10/18/2019 12:20:00 AM"}),
        unit_row(unit="M50", **{"Available DtTm": "10/18/2019 01:40:00 AM"},
                 **{"Call Final Disposition": "Code 2 Transport"}),
        unit_row(unit="T07", **{"Available DtTm": "10/18/2019 12:30:00 AM"}),
    ]  # fmt: skip
    records = convert(tmp_path, rows)
    closed = [
        r for r in records if isinstance(r, RawRecord) and r.payload["type"] == "IncidentClosed"
    ]
    assert len(closed) == 1
    assert closed[0].line == 3  # the row whose time closes it
    assert closed[0].payload["at"] == "2019-10-18T01:40:00-07:00"
    assert closed[0].payload["outcome"] == "Code 2 Transport"


def test_incident_with_a_unit_never_available_is_not_closed(tmp_path: Path) -> None:
    """While any unit row has no Available time, the record does not say the incident ended."""
    rows = [unit_row(unit="E11"), unit_row(unit="T07", **{"Available DtTm": "null"})]
    found = payloads(convert(tmp_path, rows))
    assert of_type(found, "IncidentClosed") == []
    assert len(of_type(found, "UnitCleared")) == 1


def test_repeated_autumn_hour_is_read_as_its_first_occurrence(tmp_path: Path) -> None:
    """01:30 on 4 Nov 2018 happened twice in Los Angeles: fold=0 reads it as PDT (-07:00)."""
    row = unit_row(**{"Available DtTm": "11/04/2018 01:30:00 AM"})
    row |= dict.fromkeys(("Received DtTm", "Entry DtTm", "Dispatch DtTm"), "11/04/2018 01:00:00 AM")
    row |= {"Response DtTm": "null", "On Scene DtTm": "null"}
    (cleared,) = of_type(payloads(convert(tmp_path, [row])), "UnitCleared")
    assert cleared["at"] == "2018-11-04T01:30:00-07:00"


def test_skipped_spring_hour_is_read_with_the_offset_before_the_change(tmp_path: Path) -> None:
    """02:30 on 11 Mar 2018 never happened in Los Angeles: it is read as PST, i.e. 03:30 PDT."""
    row = unit_row(**{"Available DtTm": "03/11/2018 02:30:00 AM"})
    row |= dict.fromkeys(("Received DtTm", "Entry DtTm", "Dispatch DtTm"), "03/11/2018 01:00:00 AM")
    row |= {"Response DtTm": "null", "On Scene DtTm": "null"}
    (cleared,) = of_type(payloads(convert(tmp_path, [row])), "UnitCleared")
    assert cleared["at"] == "2018-03-11T02:30:00-08:00"


def test_minute_resolution_format_marks_events_minute_precision(tmp_path: Path) -> None:
    """A format without seconds (e.g. Virginia Beach's M/D/YY H:MM) gives precision "minute"."""
    row = unit_row()
    for column in ("Received DtTm", "Entry DtTm", "Dispatch DtTm", "Response DtTm",
                   "On Scene DtTm", "Available DtTm"):  # fmt: skip
        row[column] = "10/18/19 0:" + row[column][14:16]
    edit = {"old": '["%m/%d/%Y %I:%M:%S %p"]', "new": '["%m/%d/%y %H:%M"]'}
    found = payloads(convert(tmp_path, [row], **edit))
    assert {p.get("precision") for p in found} == {"minute"}
    assert of_type(found, "UnitAllocated")[0]["at"] == "2019-10-18T00:07:00-07:00"
