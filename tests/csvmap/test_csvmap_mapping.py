"""Loading a CSV mapping: a good one loads; each kind of bad one is refused, naming its key."""

from __future__ import annotations

from pathlib import Path

import pytest
from csvmap_support import HEADER, SFFD_MAPPING, SFFD_POLICY, unit_row, write_csv, write_mapping

from ledger.csvmap import MappingError, load_mapping, read_csv


def test_sffd_mapping_loads_its_keys_stages_grades_and_closing_rule() -> None:
    """The shipped SFFD mapping loads, with the stages and keys the README describes."""
    mapping = load_mapping(SFFD_MAPPING)
    assert mapping.name == "sffd"
    assert str(mapping.zone) == "America/Los_Angeles"
    assert (mapping.keys.incident, mapping.keys.call, mapping.keys.unit) == (
        "Incident Number", "Call Number", "Unit ID",
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
    assert mapping.grading is not None and mapping.grading.values == {
        "3": "C3", "E": "C3", "2": "C2",
    }  # fmt: skip
    assert mapping.closing is not None and mapping.closing.stage == "available"
    assert mapping.nulls == frozenset({"null", ""})


def test_sffd_grades_are_all_defined_by_the_sffd_policy() -> None:
    """Every grade code the mapping gives is a grade of mappings/sffd-policy.toml, with a target."""
    from projections.policy import load_policy

    policy = load_policy(SFFD_POLICY)
    mapping = load_mapping(SFFD_MAPPING)
    assert mapping.grading is not None
    for grade in mapping.grading.values.values():
        assert policy.target(grade) is not None, grade
    assert [name for name, _ in policy.grades] == ["C3", "C2"]


def test_timezone_argument_overrides_the_mappings_zone(tmp_path: Path) -> None:
    """--timezone wins over source.timezone, and a bad override is refused under that key."""
    path = write_mapping(tmp_path / "map.toml")
    assert str(load_mapping(path, timezone="Europe/London").zone) == "Europe/London"
    with pytest.raises(MappingError, match=r"^source\.timezone: 'Nowhere/Land' .*override"):
        load_mapping(path, timezone="Nowhere/Land")


BAD = [
    ("unknown top-level key", "[keys]", "colour = 'red'\n\n[keys]", r"^colour: unknown key"),
    (
        "unknown key in a stage",
        'column = "Dispatch DtTm"',
        'colum = "Dispatch DtTm"',
        r"^stages\.dispatch\.colum: unknown key",
    ),
    (
        "bad strptime directive",
        '["%m/%d/%Y %I:%M:%S %p"]',
        '["%m/%d/%Y %I:%M:%Q"]',
        r"^source\.time_formats\[0\]: .*not a strptime format",
    ),
    (
        "12-hour clock without AM/PM",
        '["%m/%d/%Y %I:%M:%S %p"]',
        '["%m/%d/%Y %I:%M:%S"]',
        r"^source\.time_formats\[0\]: .*does not read back",
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
        r"^stages\.on_scene\.event: 'UnitArived' is not an event type",
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
    ("unknown closing rule", '"last-unit-available"', '"never"', r"^close\.rule: 'never'"),
    ("empty grade code", '"2" = "C2"', '"2" = ""', r"^grade\.values\.2: "),
    ("unit events without a unit key", 'unit = "Unit ID"\n', "", r"^keys\.unit: required"),
    ("missing required table", "[keys]", "[keyz]", r"^keys: required table"),
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
