"""`ledger import-csv` as people meet it: every mapping mistake in one run, bad rows named by
file and row, and --preview showing the events without writing anything."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from cli.main import main
from tests.csvmap.csvmap_support import PER_CALL

ROWS = """\
Call,Squad,Received,Dispatched,On Scene
1,R10,1/4/17 14:31,1/4/17 14:33,1/4/17 14:40
2,,1/4/17 14:35,,
3,R16,1/4/17 14:45,1/4/17 14:46,
"""


def _run(tmp_path: Path, mapping: str, *args: str, rows: str = ROWS) -> Result:
    (tmp_path / "map.toml").write_text(mapping, encoding="utf-8")
    (tmp_path / "calls.csv").write_text(rows, encoding="utf-8")
    store = ["--store", f"sqlite:///{tmp_path / 'ledger.db'}"]
    command = ["import-csv", str(tmp_path / "calls.csv"), "--mapping", str(tmp_path / "map.toml")]
    return CliRunner().invoke(main, [*store, *command, *args])


def test_every_mapping_mistake_is_listed_in_one_run(tmp_path: Path) -> None:
    """A bad zone, two typos and a column the file lacks: all listed, exit 2, no usage, no store."""
    mapping = (
        PER_CALL.replace('"America/New_York"', '"America/Virginia_Beach"')
        .replace('column = "Dispatched"', 'colum = "Dispatched"')
        .replace('"UnitArrived"', '"UnitArived"')
        .replace('column = "Received"', 'column = "Recieved"')
    )
    result = _run(tmp_path, mapping)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[:-1] == [
        "source.timezone: 'America/Virginia_Beach' is not an IANA time zone",
        "stages.dispatch.colum: unknown key (did you mean 'column'?)",
        "stages.dispatch.column: required",
        "stages.on_scene.event: 'UnitArived' is not an event type (did you mean 'UnitArrived'?)",
        f"stages.received.column: 'Recieved' is not a column of {tmp_path / 'calls.csv'} "
        "(did you mean 'Received'?)",
    ]
    assert lines[-1].startswith("Error: 5 problems in the mapping ")
    assert "Usage:" not in result.output
    assert not (tmp_path / "ledger.db").exists()


def test_a_column_the_file_lacks_is_named_with_the_key_that_names_it(tmp_path: Path) -> None:
    """The header is checked in the same run, suggesting the column meant."""
    result = _run(tmp_path, PER_CALL.replace('column = "Received"', 'column = "Recieved"'))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"stages.received.column: 'Recieved' is not a column of {tmp_path / 'calls.csv'} "
        "(did you mean 'Received'?)"
    )


def test_bad_rows_are_listed_by_file_row_and_column_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    """FILE:ROW: column: reason for each, exit 2, and no store left behind."""
    rows = ROWS.replace("1/4/17 14:46", "1/4/17 25:46").replace("2,,", "2,R99,")
    result = _run(tmp_path, PER_CALL.replace("unit_optional = true\n", ""), rows=rows)
    assert result.exit_code == 2
    where = tmp_path / "calls.csv"
    assert result.stderr.splitlines() == [
        f"{where}:3: Dispatched: null ('') where a value is required",
        f"{where}:4: Dispatched: '1/4/17 25:46' is not a time in the form %m/%d/%y %H:%M",
        "Error: 2 problems; nothing was imported",
    ]
    assert "Traceback" not in result.output
    assert not (tmp_path / "ledger.db").exists()


def test_preview_shows_the_first_rows_events_and_writes_nothing(tmp_path: Path) -> None:
    """--preview 2: the events of rows 2 and 3 as a table; no store is created."""
    result = _run(tmp_path, PER_CALL, "--preview", "2")
    assert result.exit_code == 0, result.output
    table = result.stdout.splitlines()
    assert table[0].split() == ["row", "id", "type", "at", "incident", "call", "unit", "fields"]
    assert [line.split()[:3] for line in table[2:]] == [
        ["2", "t:1:received", "CallReceived"],
        ["2", "t:1:dispatch", "UnitAllocated"],
        ["2", "t:1:on_scene", "UnitArrived"],
        ["3", "t:2:received", "CallReceived"],
    ]
    assert result.stderr == "4 events from the first 2 rows; nothing was written\n"
    assert not (tmp_path / "ledger.db").exists()


def test_preview_as_jsonl_is_the_stream_the_import_would_write(tmp_path: Path) -> None:
    """The previewed events are exactly those an import of the same rows records."""
    preview = _run(tmp_path, PER_CALL, "--preview", "10", "--format", "jsonl")
    assert preview.exit_code == 0, preview.output
    assert _run(tmp_path, PER_CALL).exit_code == 0
    store = ["--store", f"sqlite:///{tmp_path / 'ledger.db'}"]
    exported = CliRunner().invoke(main, [*store, "export", "--format", "jsonl"])
    assert exported.exit_code == 0, exported.output

    def events(text: str) -> list[str]:
        return sorted(json.dumps(json.loads(line), sort_keys=True) for line in text.splitlines())

    assert events(preview.stdout) == events(exported.stdout)


def test_preview_of_bad_rows_lists_their_problems(tmp_path: Path) -> None:
    """A problem in the previewed rows is reported as the import would, exit 2."""
    rows = ROWS.replace("1/4/17 14:33", "1/4/17 14:93")
    result = _run(tmp_path, PER_CALL, "--preview", "1", rows=rows)
    assert result.exit_code == 2
    assert f"{tmp_path / 'calls.csv'}:2: Dispatched: '1/4/17 14:93'" in result.stderr


def test_import_is_all_or_nothing_and_idempotent_on_each_backend(
    tmp_path: Path, store_url: str
) -> None:
    """A bad file leaves no ledger; the good one imports, and again adds nothing."""
    (tmp_path / "map.toml").write_text(PER_CALL, encoding="utf-8")
    command = ["--store", store_url, "import-csv", "--mapping", str(tmp_path / "map.toml")]
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(ROWS.replace("14:46", "14:96"), encoding="utf-8")
    good.write_text(ROWS, encoding="utf-8")
    assert CliRunner().invoke(main, [*command, str(bad)]).exit_code == 2
    verify = CliRunner().invoke(main, ["--store", store_url, "verify"])
    assert verify.exit_code == 3, verify.output  # no store was created
    first = CliRunner().invoke(main, [*command, str(good)])
    again = CliRunner().invoke(main, [*command, str(good)])
    assert (first.exit_code, again.exit_code) == (0, 0)
    assert first.stderr.startswith("added 6, skipped 0")
    assert again.stderr.startswith("added 0, skipped 6")
