"""Large exports are read in a worker process while the import writes: the same records, the
same problems, and a clean stop whichever side stops first."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import cli.commands.import_csv as import_csv
from cli.main import main
from ledger.inputs.csv import MappingError, load_mapping, read_csv
from ledger.inputs.csv.aside import read_csv_aside
from tests.csvmap.csvmap_support import SAMPLE, SFFD_MAPPING, unit_row, write_csv, write_mapping


def test_the_worker_reads_what_the_reader_reads() -> None:
    """Every record of the SFFD sample, in order, equal to reading it in this process."""
    mapping = load_mapping(SFFD_MAPPING)
    assert list(read_csv_aside(SAMPLE, mapping)) == list(read_csv(SAMPLE, mapping))


def test_bad_rows_come_back_as_the_same_problems(tmp_path: Path) -> None:
    """Problems cross the pipe like events, with their rows and columns."""
    rows = [unit_row(call="1"), unit_row(call="2", Priority="9"), unit_row(call="3")]
    path = write_csv(tmp_path / "calls.csv", rows)
    mapping = load_mapping(write_mapping(tmp_path / "map.toml"))
    assert list(read_csv_aside(path, mapping)) == list(read_csv(path, mapping))


def test_a_column_the_file_lacks_is_refused_before_the_worker_starts(tmp_path: Path) -> None:
    """The header is checked here, at once, as read_csv checks it."""
    path = write_csv(tmp_path / "calls.csv", [unit_row()], header=["Call Number", "Unit ID"])
    with pytest.raises(MappingError, match="is not a column of"):
        read_csv_aside(path, load_mapping(write_mapping(tmp_path / "map.toml")))


def test_a_file_gone_before_it_is_read_raises_oserror_here(tmp_path: Path) -> None:
    """The worker's OSError is raised where the records are read, for the caller to report."""
    path = write_csv(tmp_path / "calls.csv", [unit_row()])
    records = read_csv_aside(path, load_mapping(write_mapping(tmp_path / "map.toml")))
    path.unlink()
    with pytest.raises(FileNotFoundError):
        list(records)


def test_stopping_early_stops_the_worker() -> None:
    """Closing the records after a few ends the worker; nothing hangs."""
    records = read_csv_aside(SAMPLE, load_mapping(SFFD_MAPPING))
    first = [next(records) for _ in range(3)]
    records.close()  # type: ignore[attr-defined]
    assert len(first) == 3


def test_import_csv_reads_a_large_export_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the size threshold the command reads aside, and imports the same events."""
    monkeypatch.setattr(import_csv, "ASIDE_FROM", 0)
    store = ["--store", f"sqlite:///{tmp_path / 'ledger.db'}"]
    command = ["import-csv", str(SAMPLE), "--mapping", str(SFFD_MAPPING)]
    result = CliRunner().invoke(main, [*store, *command, "--no-views"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("added 26746, skipped 0")
