"""The export's header checked against the mapping, and how each column's cells read.

Every column a mapping names must head exactly one column of the file; each missing one is a
complaint naming the key that names it. A column's cells read through its null literals
(the source's and its own), its value map, and its time formats.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from pathlib import Path

from ledger.inputs.csv.cells import TimeReader
from ledger.inputs.csv.model import ColumnRule, CsvMapping
from ledger.inputs.csv.tables import Complaints, MappingError


def read_header(path: Path, encoding: str, delimiter: str) -> list[str] | None:
    """The header row, or None for an empty file; MappingError if it cannot be decoded."""
    try:
        with path.open(encoding=encoding, newline="") as file:
            return next(csv.reader(file, delimiter=delimiter), None)
    except UnicodeDecodeError as error:
        raise MappingError("source.encoding", f"{path} is not {encoding}: {error}") from None
    except csv.Error as error:
        raise MappingError("", f"{path}: the header cannot be read: {error}") from None


def check_header(
    header: list[str], path: Path, refs: tuple[tuple[str, str], ...], complaints: Complaints
) -> dict[str, int]:
    """Each column's position; a complaint for each key naming a column absent or doubled."""
    index: dict[str, int] = {}
    twice: set[str] = set()
    for position, name in enumerate(header):
        if name in index:
            twice.add(name)
        index.setdefault(name, position)
    for key, column in refs:
        if column not in index:
            near = difflib.get_close_matches(column, header, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            complaints.add(key, f"{column!r} is not a column of {path}{hint}")
        elif column in twice:
            complaints.add(key, f"{column!r} heads more than one column of {path}")
    return index


@dataclass(frozen=True, slots=True)
class Column:
    """One column as the rows read it."""

    name: str
    position: int
    nulls: frozenset[str]
    values: dict[str, str] | None
    default: str | None
    times: TimeReader


class Columns:
    """The columns a mapping reads, by name, each with how its cells read."""

    def __init__(self, mapping: CsvMapping, index: dict[str, int], width: int) -> None:
        self.width = width
        self.times = TimeReader(mapping.time_formats, mapping.zone)
        readers: dict[tuple[str, ...], TimeReader] = {mapping.time_formats: self.times}
        self.by_name: dict[str, Column] = {}
        for _, name in mapping.columns:
            rule = mapping.rules.get(name, ColumnRule())
            formats = rule.time_formats or mapping.time_formats
            if formats not in readers:
                readers[formats] = TimeReader(formats, mapping.zone)
            self.by_name[name] = Column(
                name, index[name], mapping.nulls | rule.nulls, rule.values, rule.default,
                readers[formats],
            )  # fmt: skip

    def __getitem__(self, name: str) -> Column:
        return self.by_name[name]
