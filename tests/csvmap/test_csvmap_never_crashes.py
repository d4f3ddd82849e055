"""Whatever the mapping or the cells hold, the reader answers with problems, never a crash."""

from __future__ import annotations

import csv
import json
import tomllib
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.inputs.csv import MappingError, load_mapping, read_csv
from ledger.write.records import Problem, RawRecord
from ledger.write.validation import validate
from tests.csvmap.csvmap_support import PER_CALL

BASE = tomllib.loads(
    PER_CALL
    + """
[columns.Priority]
values = { "1" = "P1" }
default = "P9"

[grade]
column = "Priority"
at = "Received"

[close]
rule = "column"
column = "Closed"
default_outcome = "closed"
"""
)
HEADER = ["Call", "Squad", "Received", "Dispatched", "On Scene", "Priority", "Closed"]
VALUES = st.one_of(
    st.text(max_size=12),
    st.integers(),
    st.booleans(),
    st.lists(st.text(max_size=6), max_size=3),
    st.dictionaries(st.text(max_size=6), st.text(max_size=6), max_size=2),
    st.sampled_from(["@row", "@epoch", "%H:%M", "UnitCleared", "station", "column", "Call"]),
)
CELLS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", "1/4/17 25:61", "99/99/99 1:1", "1/4/17 9:05", "0", "\x00", "9" * 40]),
)


def _toml(value: Any) -> str:
    """A value as inline TOML (a table as an inline table), so any nesting can be written."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def _mutated(data: st.DataObject) -> dict[str, Any]:
    mapping = json.loads(json.dumps(BASE))
    for _ in range(data.draw(st.integers(1, 4))):
        table = mapping
        while isinstance(table, dict) and table and data.draw(st.booleans()):
            key = data.draw(st.sampled_from(sorted(table)))
            if not isinstance(table[key], dict):
                break
            table = table[key]
        if isinstance(table, dict) and table:
            key = data.draw(st.sampled_from([*sorted(table), "extra"]))
            if data.draw(st.booleans()) and key in table:
                del table[key]
            else:
                table[key] = data.draw(VALUES)
    return mapping


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_mapping_loads_or_is_refused_with_its_problems(
    tmp_path: Path, data: st.DataObject
) -> None:
    """A mapping with keys removed, added or given values of any kind: loaded, or MappingError."""
    path = tmp_path / "map.toml"
    path.write_text("\n".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in _mutated(data).items()),
                    encoding="utf-8")  # fmt: skip
    export = tmp_path / "calls.csv"
    export.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    problems: tuple[tuple[str, str], ...] = ()
    try:
        load_mapping(path, export=export)
    except MappingError as error:
        problems = error.problems
        assert problems
    assert all(reason for _, reason in problems)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(CELLS, min_size=len(HEADER), max_size=len(HEADER)), max_size=4))
def test_any_cells_make_events_or_problems(tmp_path: Path, rows: list[list[str]]) -> None:
    """Arbitrary cells: every record is a valid event or a Problem, and nothing raises."""
    path = tmp_path / "map.toml"
    path.write_text("\n".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in BASE.items()),
                    encoding="utf-8")  # fmt: skip
    export = tmp_path / "calls.csv"
    with export.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        writer.writerows(rows)
    for record in read_csv(export, load_mapping(path)):
        assert isinstance(record, RawRecord | Problem)
        if isinstance(record, RawRecord):
            validate(record)  # a list of problems is fine; an exception is not
