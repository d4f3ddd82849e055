"""A small SFFD-shaped mapping and CSV writer shared by the csvmap tests."""

from __future__ import annotations

import csv
import textwrap
from pathlib import Path
from typing import Any

import orjson

from ledger.events import EVENT_ADAPTER
from ledger.inputs.csv import load_mapping, read_csv
from ledger.write.records import Problem, RawRecord

REPO = Path(__file__).resolve().parents[2]
SFFD_MAPPING = REPO / "mappings" / "sffd.toml"
SFFD_POLICY = REPO / "mappings" / "sffd-policy.toml"
SAMPLE = REPO / "tests" / "data" / "sffd_per_unit_calls_sample.csv"

MINI_MAPPING = """\
[source]
name = "t"
timezone = "America/Los_Angeles"
time_formats = ["%m/%d/%Y %I:%M:%S %p"]
nulls = ["null", ""]

[keys]
incident = "Incident Number"
call = "Call Number"
unit = "Unit ID"
row = ["Call Number", "Unit ID"]

[defaults]
source = "cad"

[location]
address = "Address"
point = "Location"

[stages.received]
column = "Received DtTm"
event = "CallReceived"
required = true
recorded_at = "Entry DtTm"
location = true
fields = { channel = "other" }
columns = { summary = "Call Type" }

[stages.dispatch]
column = "Dispatch DtTm"
event = "UnitAllocated"
required = true

[stages.en_route]
column = "Response DtTm"
event = "UnitEnRoute"

[stages.on_scene]
column = "On Scene DtTm"
event = "UnitArrived"
location = true

[stages.available]
column = "Available DtTm"
event = "UnitCleared"

[grade]
column = "Priority"
at = "Entry DtTm"
values = { "3" = "C3", "2" = "C2" }

[close]
rule = "last-unit-available"
outcome = "Call Final Disposition"
"""

HEADER = [
    "Call Number", "Unit ID", "Incident Number", "Call Type", "Received DtTm", "Entry DtTm",
    "Dispatch DtTm", "Response DtTm", "On Scene DtTm", "Available DtTm",
    "Call Final Disposition", "Address", "Priority", "Location",
]  # fmt: skip

POINT = "POINT (-122.42066480228367 37.75210364574824)"


def unit_row(
    call: str = "100", unit: str = "E11", incident: str = "900", **cells: str
) -> dict[str, str]:
    """One unit's row on a call: every stage filled in, on 18 Oct 2019 just after midnight."""
    row = {
        "Call Number": call, "Unit ID": unit, "Incident Number": incident,
        "Call Type": "Alarms",
        "Received DtTm": "10/18/2019 12:03:52 AM", "Entry DtTm": "10/18/2019 12:06:59 AM",
        "Dispatch DtTm": "10/18/2019 12:07:05 AM", "Response DtTm": "10/18/2019 12:08:28 AM",
        "On Scene DtTm": "10/18/2019 12:11:10 AM", "Available DtTm": "10/18/2019 12:33:57 AM",
        "Call Final Disposition": "Fire", "Address": "24TH ST/VALENCIA ST", "Priority": "3",
        "Location": POINT,
    }  # fmt: skip
    row.update({name.replace("_", " "): value for name, value in cells.items()})
    return row


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows([[row.get(name, "") for name in header] for row in rows])
    return path


def write_mapping(path: Path, text: str = MINI_MAPPING, old: str = "", new: str = "") -> Path:
    """The mini mapping, with `old` replaced by `new` (which must be there to replace)."""
    if old:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return path


def convert(tmp_path: Path, rows: list[dict[str, str]], **edit: str) -> list[RawRecord | Problem]:
    mapping = load_mapping(write_mapping(tmp_path / "map.toml", **edit))
    return list(read_csv(write_csv(tmp_path / "calls.csv", rows), mapping))


def payloads(records: list[RawRecord | Problem]) -> list[dict[str, Any]]:
    """The event objects, asserting there is no Problem and that each one is a valid event."""
    problems = [str(item) for item in records if isinstance(item, Problem)]
    assert problems == []
    out = []
    for item in records:
        assert isinstance(item, RawRecord)
        assert isinstance(item.payload, dict)
        EVENT_ADAPTER.validate_json(orjson.dumps(item.payload))
        out.append(item.payload)
    return out


def problems(records: list[RawRecord | Problem]) -> list[tuple[int, str, str]]:
    return [(p.line, p.field, p.reason) for p in records if isinstance(p, Problem)]


def of_type(found: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [payload for payload in found if payload["type"] == kind]


def convert_text(
    tmp_path: Path, mapping: str, table: str, **options: Any
) -> list[RawRecord | Problem]:
    """A mapping and a small CSV, both written out as given (the CSV dedented), converted."""
    map_path = tmp_path / "map.toml"
    map_path.write_text(textwrap.dedent(mapping), encoding="utf-8")
    csv_path = tmp_path / "calls.csv"
    csv_path.write_text(textwrap.dedent(table).lstrip("\n"), encoding="utf-8")
    return list(read_csv(csv_path, load_mapping(map_path), **options))


# One row per call, with the squad that answered it (Virginia Beach's shape, trimmed).
PER_CALL = """\
[source]
name = "t"
timezone = "America/New_York"
time_formats = ["%m/%d/%y %H:%M"]

[keys]
incident = "Call"
call = "Call"
unit = "Squad"
row = "Call"
unit_optional = true

[stages.received]
column = "Received"
event = "CallReceived"
required = true
fields = { channel = "other" }

[stages.dispatch]
column = "Dispatched"
event = "UnitAllocated"
required = true

[stages.on_scene]
column = "On Scene"
event = "UnitArrived"
"""


def imported(folder: Path, sample: Path, mapping: Path) -> list[str]:
    """A fresh ledger in `folder` holding `sample` imported with the CLI: its --store args."""
    from click.testing import CliRunner

    from cli.main import main

    url = f"sqlite:///{folder / 'ledger.db'}"
    command = ["--store", url, "import-csv", str(sample), "--mapping", str(mapping)]
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    return ["--store", url]


def json_of(store: list[str], *args: str) -> list[dict[str, object]]:
    """A read command's --format json output, parsed."""
    from click.testing import CliRunner

    from cli.main import main

    result = CliRunner().invoke(main, [*store, *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return list(orjson.loads(result.stdout))
