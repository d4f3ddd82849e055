"""Loading a CSV mapping: a good one loads; each kind of bad one is refused, naming its key."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path

import pytest

from ledger.durations import parse_duration
from ledger.inputs.csv import MappingError, load_mapping, read_csv
from ledger.inputs.csv.model import Key
from tests.csvmap.csvmap_support import (
    HEADER,
    SFFD_MAPPING,
    SFFD_POLICY,
    unit_row,
    write_csv,
    write_mapping,
)


def test_sffd_mapping_loads_its_keys_stages_grades_and_closing_rule() -> None:
    """The shipped SFFD mapping loads, with the stages and keys the README describes."""
    mapping = load_mapping(SFFD_MAPPING)
    assert mapping.name == "sffd"
    assert str(mapping.zone) == "America/Los_Angeles"
    assert (mapping.keys.incident, mapping.keys.call, mapping.keys.unit) == (
        Key(("Incident Number",)), Key(("Call Number",)), "Unit ID",
    )  # fmt: skip
    assert [(s.name, s.event, s.scope) for s in mapping.stages] == [
        ("received", "CallReceived", "call"),
        ("dispatch", "UnitAllocated", "row"),
        ("en_route", "UnitEnRoute", "row"),
        ("on_scene", "UnitArrived", "row"),
        ("transport", "UnitEnRoute", "row"),
        ("hospital", "UnitArrived", "row"),
        ("available", "UnitCleared", "row"),
    ]
    assert mapping.grading is not None
    assert mapping.grading.values == {"3": "C3", "E": "C3", "2": "C2"}
    assert mapping.closing is not None
    assert mapping.closing.stage == "available"
    assert mapping.nulls == frozenset({"null", ""})


def test_sffd_grades_are_all_defined_by_the_sffd_policy() -> None:
    """Every grade code the mapping gives is a grade of mappings/sffd-policy.toml, with a target."""
    policy = tomllib.loads(SFFD_POLICY.read_text(encoding="utf-8"))
    targets = {grade: parse_duration(value) for grade, value in policy["grades"].items()}
    assert targets == {"C3": timedelta(minutes=10), "C2": timedelta(minutes=20)}
    mapping = load_mapping(SFFD_MAPPING)
    assert mapping.grading is not None
    assert set(mapping.grading.values.values()) == set(targets)
    assert set(policy["rules"]["attendance_required"]) <= set(targets)
    assert policy["marker_min_grade"] == {}  # the default's police grade would not exist here


def test_timezone_argument_overrides_the_mappings_zone(tmp_path: Path) -> None:
    """--timezone wins over source.timezone, and a bad override is refused under that key."""
    path = write_mapping(tmp_path / "map.toml")
    assert str(load_mapping(path, timezone="Europe/London").zone) == "Europe/London"
    with pytest.raises(MappingError, match=r"^source\.timezone: 'Nowhere/Land' .*override"):
        load_mapping(path, timezone="Nowhere/Land")


BAD = [
    ("unknown top-level key", "[source]", "colour = 'red'\n\n[source]", r"^colour: unknown key"),
    (
        "unknown key in a stage",
        'column = "Dispatch DtTm"',
        'colum = "Dispatch DtTm"',
        r"^stages\.dispatch\.colum: unknown key \(did you mean 'column'\?\)",
    ),
    (
        "bad strptime directive",
        '["%m/%d/%Y %I:%M:%S %p"]',
        '["%m/%d/%Y %H:%M:%Q"]',
        r"^source\.time_formats\[0\]: .*not a strptime format",
    ),
    (
        "12-hour clock without AM/PM",
        '["%m/%d/%Y %I:%M:%S %p"]',
        '["%m/%d/%Y %I:%M:%S"]',
        r"^source\.time_formats\[0\]: .*12-hour clock \(%I\) without AM/PM",
    ),
    (
        "time format without a time of day",
        '["%m/%d/%Y %I:%M:%S %p"]',
        '["%m/%d/%Y"]',
        r"^source\.time_formats\[0\]: .*no hour",
    ),
    (
        "unknown event type",
        'event = "UnitArrived"',
        'event = "UnitArived"',
        r"^stages\.on_scene\.event: 'UnitArived' is not an event type \(did you mean 'UnitArrived'",
    ),
    (
        "unknown time zone",
        '"America/Los_Angeles"',
        '"America/San_Francisco"',
        r"^source\.timezone: 'America/San_Francisco' is not an IANA time zone",
    ),
    (
        "required event field missing",
        'fields = { channel = "other" }\n',
        "",
        r"^stages\.received\.fields\.channel: CallReceived needs channel",
    ),
    (
        "event field value the event refuses",
        'channel = "other"',
        'channel = "telephone"',
        r"^stages\.received\.fields\.channel: ",
    ),
    (
        "field the mapping sets itself",
        'event = "UnitAllocated"',
        'event = "UnitAllocated"\nfields = { unit = "E1" }',
        r"^stages\.dispatch\.fields\.unit: 'unit' is set by the mapping",
    ),
    (
        "default of the wrong kind",
        'source = "cad"',
        "source = 7",
        r"^defaults\.source: ",
    ),
    ("stage name reserved for ids", "[stages.dispatch]", "[stages.closed]", r"^stages\.closed: "),
    (
        "time format without a year",
        '["%m/%d/%Y %I:%M:%S %p"]',
        '["%m/%d %H:%M:%S"]',
        r"^source\.time_formats\[0\]: .*has a date without a year",
    ),
    (
        "unknown named time format",
        '["%m/%d/%Y %I:%M:%S %p"]',
        '["@epochs"]',
        r"^source\.time_formats\[0\]: '@epochs' is not a named format \(@epoch, ",
    ),
    ("unknown closing rule", '"last-unit-available"', '"never"', r"^close\.rule: 'never'"),
    ("empty grade code", '"2" = "C2"', '"2" = ""', r"^grade\.values\.2: "),
    ("unit events without a unit key", 'unit = "Unit ID"\n', "", r"^keys\.unit: required"),
    ("misspelt table", "[keys]", "[keyz]", r"^keyz: unknown key \(did you mean 'keys'\?\)"),
    (
        "missing required table",
        '[keys]\nincident = "Incident Number"\ncall = "Call Number"\nunit = "Unit ID"\n'
        'row = ["Call Number", "Unit ID"]\n',
        "",
        r"^keys: required table",
    ),
    ("not TOML", "[keys]", "[keys", r"is not a TOML file"),
]


@pytest.mark.parametrize(("old", "new", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_mapping_is_refused_naming_its_key(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """Each kind of mistake raises MappingError whose message starts with the key at fault."""
    path = write_mapping(tmp_path / "map.toml", old=old, new=new)
    with pytest.raises(MappingError, match=message):
        load_mapping(path)


def test_column_missing_from_the_file_is_refused_naming_key_and_file(tmp_path: Path) -> None:
    """A mapping column the CSV header lacks fails before any row, naming key, column and file."""
    mapping = load_mapping(write_mapping(tmp_path / "map.toml"))
    header = [name for name in HEADER if name != "Dispatch DtTm"] + ["Dispatch DtTm "]
    csv_path = write_csv(tmp_path / "calls.csv", [unit_row()], header)
    with pytest.raises(MappingError) as raised:
        read_csv(csv_path, mapping)
    assert str(raised.value) == (
        f"stages.dispatch.column: 'Dispatch DtTm' is not a column of {csv_path} "
        "(did you mean 'Dispatch DtTm '?)"
    )
    assert raised.value.key == "stages.dispatch.column"
