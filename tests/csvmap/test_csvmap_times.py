"""Times as exports write them: a date and a time in two columns, times of day rolling over
midnight, two-digit years, minutes only, epoch seconds, ISO 8601 with offsets."""

from __future__ import annotations

from pathlib import Path

from tests.csvmap.csvmap_support import convert, convert_text, of_type, payloads, problems, unit_row

SPLIT = """\
[source]
name = "t"
timezone = "America/Chicago"
time_formats = ["%Y%m%d %H:%M:%S", "%H:%M:%S"]

[keys]
incident = "INC"
call = "INC"
unit = "UNIT"
row = ["INC", "UNIT"]

[stages.received]
column = ["RECEIVED_DATE", "RECEIVED_TIME"]
event = "CallReceived"
fields = { channel = "other" }

[stages.dispatch]
column = "DISPATCH_TIME"
event = "UnitAllocated"

[stages.on_scene]
column = "ONSCENE_TIME"
event = "UnitArrived"

[stages.clear]
column = "CLEAR_TIME"
event = "UnitCleared"
"""
HEADER = "INC,UNIT,RECEIVED_DATE,RECEIVED_TIME,DISPATCH_TIME,ONSCENE_TIME,CLEAR_TIME\n"


def _times(tmp_path: Path, mapping: str, table: str) -> list[tuple[str, str]]:
    return [(p["type"], p["at"]) for p in payloads(convert_text(tmp_path, mapping, table))]


def test_date_and_time_columns_are_read_as_one_time(tmp_path: Path) -> None:
    """column = [DATE, TIME]: the cells joined with a space, read with the formats."""
    found = _times(tmp_path, SPLIT, HEADER + "7,E1,20191017,09:15:00,,,\n")
    assert found == [("CallReceived", "2019-10-17T09:15:00-05:00")]


def test_times_of_day_roll_over_midnight_from_the_stage_before(tmp_path: Path) -> None:
    """A time earlier than the previous stage's is the next day; the next stage counts from it."""
    row = "7,E1,20191017,23:55:10,23:58:10,00:05:00,00:40:00\n"
    assert _times(tmp_path, SPLIT, HEADER + row) == [
        ("CallReceived", "2019-10-17T23:55:10-05:00"),
        ("UnitAllocated", "2019-10-17T23:58:10-05:00"),
        ("UnitArrived", "2019-10-18T00:05:00-05:00"),
        ("UnitCleared", "2019-10-18T00:40:00-05:00"),
    ]


def test_a_null_stage_passes_the_date_on_from_the_one_before(tmp_path: Path) -> None:
    """No dispatch time: the arrival is dated from the call, still rolling over midnight."""
    row = "7,E1,20191017,23:55:10,,00:05:00,\n"
    assert _times(tmp_path, SPLIT, HEADER + row)[-1] == ("UnitArrived", "2019-10-18T00:05:00-05:00")


def test_time_of_day_with_no_date_before_it_is_a_problem(tmp_path: Path) -> None:
    """The first time of a row must carry a date; half of a date-and-time pair is a problem."""
    table = HEADER + "7,E1,,,23:58:10,,\n" + "8,E1,20191017,,,,\n"
    assert problems(convert_text(tmp_path, SPLIT, table)) == [
        (2, "DISPATCH_TIME", "is a time of day, and no stage before it in the row has a date "
         "to give it"),
        (3, "RECEIVED_TIME", "null while RECEIVED_DATE has a value"),
    ]  # fmt: skip


ONE_COLUMN = """\
[source]
name = "t"
timezone = "America/Los_Angeles"
time_formats = ["%m/%d/%y %H:%M"]

[keys]
incident = "INC"
call = "INC"

[stages.received]
column = "RECEIVED"
event = "CallReceived"
fields = { channel = "other" }
"""


def _received(tmp_path: Path, formats: str, cell: str) -> dict[str, object]:
    mapping = ONE_COLUMN.replace('["%m/%d/%y %H:%M"]', formats)
    (found,) = payloads(convert_text(tmp_path, mapping, f"INC,RECEIVED\n1,{cell}\n"))
    return found


def test_two_digit_years_and_minutes_only(tmp_path: Path) -> None:
    """M/D/YY H:MM (Virginia Beach): 2017, and precision "minute"."""
    found = _received(tmp_path, '["%m/%d/%y %H:%M"]', "1/4/17 9:05")
    assert (found["at"], found["precision"]) == ("2017-01-04T09:05:00-08:00", "minute")


def test_epoch_seconds_and_milliseconds_are_utc_shown_in_the_zone(tmp_path: Path) -> None:
    """@epoch and @epoch-ms count from 1970-01-01 UTC; the event shows the local offset."""
    assert _received(tmp_path, '["@epoch"]', "1571382232")["at"] == "2019-10-18T00:03:52-07:00"
    found = _received(tmp_path, '["@epoch-ms"]', "1571382232000")
    assert (found["at"], found.get("precision")) == ("2019-10-18T00:03:52-07:00", None)


def test_iso_8601_keeps_its_offset_and_reads_local_without_one(tmp_path: Path) -> None:
    """@iso8601: an offset (or Z) is kept; a time without one is local; no seconds: minute."""
    formats = '["@iso8601"]'
    assert _received(tmp_path, formats, "2019-10-18T08:03:52+01:00")["at"] == (
        "2019-10-18T08:03:52+01:00"
    )
    assert _received(tmp_path, formats, "2019-10-18T07:03:52Z")["at"] == "2019-10-18T07:03:52+00:00"
    local = _received(tmp_path, formats, "2019-10-18 00:03")
    assert (local["at"], local["precision"]) == ("2019-10-18T00:03:00-07:00", "minute")


def test_a_column_may_have_its_own_time_formats(tmp_path: Path) -> None:
    """[columns.NAME] time_formats replaces the source's formats for that column."""
    mapping = ONE_COLUMN + '\n[columns.RECEIVED]\ntime_formats = ["@epoch"]\n'
    (found,) = payloads(convert_text(tmp_path, mapping, "INC,RECEIVED\n1,1571382232\n"))
    assert found["at"] == "2019-10-18T00:03:52-07:00"


def test_a_date_alone_is_not_a_time(tmp_path: Path) -> None:
    """An ISO date with no time of day is refused, not read as midnight."""
    mapping = ONE_COLUMN.replace('["%m/%d/%y %H:%M"]', '["@iso8601"]')
    found = problems(convert_text(tmp_path, mapping, "INC,RECEIVED\n1,2019-10-18\n"))
    assert found == [(2, "RECEIVED", "'2019-10-18' is not a time in the form @iso8601")]


def test_a_time_of_day_past_the_calendars_end_is_a_problem(tmp_path: Path) -> None:
    """Rolled past 9999-12-31, a time of day cannot be dated: a problem, not a crash."""
    row = "7,E1,99991231,23:59:00,00:01:00,,\n"
    assert problems(convert_text(tmp_path, SPLIT, HEADER + row)) == [
        (2, "DISPATCH_TIME", "00:01:00 after 9999-12-31 23:59:00-06:00 falls outside the years "
         "1-9999"),
    ]  # fmt: skip


def test_times_across_a_clock_change_compare_as_instants(tmp_path: Path) -> None:
    """02:30 on 10 Mar 2019 (skipped in Los Angeles, read as 02:30-08:00) is after 03:01 PDT:
    an entry at 03:01 precedes the call, and the unit available at 02:30 closes the incident."""
    row = unit_row(**{"Received DtTm": "03/10/2019 02:30:00 AM"})
    row |= {"Entry DtTm": "03/10/2019 03:01:00 AM"}
    assert problems(convert(tmp_path, [row])) == [
        (2, "Entry DtTm", "is earlier than Received DtTm")
    ]
    times = dict.fromkeys(
        ("Received DtTm", "Entry DtTm", "Dispatch DtTm"), "03/10/2019 01:00:00 AM"
    )
    rows = [
        unit_row(unit="E11", **times, **{"Available DtTm": "03/10/2019 02:30:00 AM"}),
        unit_row(unit="T07", **times, **{"Available DtTm": "03/10/2019 03:01:00 AM"}),
    ]
    for row in rows:
        row |= {"Response DtTm": "null", "On Scene DtTm": "null"}
    (closed,) = of_type(payloads(convert(tmp_path, rows)), "IncidentClosed")
    assert closed["at"] == "2019-03-10T02:30:00-08:00"
