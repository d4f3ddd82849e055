"""`ledger import`, `export` and `verify` as scripts call them: exit codes and exact output."""

from __future__ import annotations

import gzip
from pathlib import Path

from click.testing import CliRunner

from cli.main import main
from tests.streams_factory import BASIC, write


def _run(store: Path, *args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--store", f"sqlite:///{store}", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_import_reports_added_and_skipped_on_stderr(tmp_path: Path) -> None:
    """Counts go to standard error; standard output stays empty for scripts."""
    stream = write(tmp_path / "s.jsonl", BASIC)
    code, out, err = _run(tmp_path / "l.db", "import", str(stream))
    assert code == 0, err
    assert out == ""
    assert err.startswith("added 7, skipped 0 already recorded; the ledger holds 7 events")
    code, _, err = _run(tmp_path / "l.db", "import", str(stream))
    assert err.startswith("added 0, skipped 7 already recorded; the ledger holds 7 events")


def test_import_reads_standard_input_and_gzip(tmp_path: Path) -> None:
    """`-` reads standard input; a gzip file is recognised whatever its name."""
    data = write(tmp_path / "s.jsonl", BASIC).read_bytes()
    (tmp_path / "s.jsonl.gz").write_bytes(gzip.compress(data))
    code, _, err = _run(tmp_path / "a.db", "import", "-", stdin=data)
    assert code == 0, err
    code, _, err = _run(tmp_path / "b.db", "import", str(tmp_path / "s.jsonl.gz"))
    assert code == 0, err
    assert _run(tmp_path / "a.db", "export")[1] == _run(tmp_path / "b.db", "export")[1]


def test_invalid_lines_are_listed_and_exit_2_with_nothing_written(tmp_path: Path) -> None:
    """Every bad line is reported as FILE:LINE: field: reason; the ledger is not created."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id":"x1","type":"IncidentNoted","at":"2018-06-01T00:00:00","incident":"A","text":"t"}\n'
        "not json\n"
        '{"id":"x3","type":"Teleported","at":"2018-06-01T00:00:00Z"}\n'
        '{"id":"x4","type":"UnitAllocated","at":"2018-06-01T00:00:00Z","incident":"A"}\n'
    )
    code, out, err = _run(tmp_path / "l.db", "import", str(bad))
    assert code == 2, err
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == (
        f"{bad}:1: at: has no UTC offset: write RFC 3339 with an offset, "
        "e.g. 2018-05-31T23:54:00+01:00"
    )
    assert lines[1].startswith(f"{bad}:2: not JSON: ")
    assert lines[2].startswith(f"{bad}:3: type: unknown type 'Teleported' (known: CallReceived, ")
    assert lines[3] == f"{bad}:4: unit: required"
    assert lines[4] == "Error: 4 problems; nothing was imported"
    assert _run(tmp_path / "l.db", "verify")[0] == 3


def test_export_writes_the_stream_to_stdout_or_a_file(tmp_path: Path) -> None:
    """`export` writes the canonical stream; `-o` writes the same bytes to a file."""
    _run(tmp_path / "l.db", "import", str(write(tmp_path / "s.jsonl", BASIC)))
    code, out, err = _run(tmp_path / "l.db", "export", "--format", "jsonl")
    assert code == 0, err
    assert out.splitlines()[0] == (
        '{"at":"2018-05-31T23:54:00+01:00","call":"C1","caller":{"name":"A. Caller",'
        '"phone":"07700 900123"},"channel":"999","id":"b-01","incident":"CAD-1",'
        '"location":{"address":"1 Example Road"},"summary":"someone banging on the door",'
        '"type":"CallReceived"}'
    )
    assert _run(tmp_path / "l.db", "export", "-o", str(tmp_path / "out.jsonl"))[0] == 0
    assert (tmp_path / "out.jsonl").read_text() == out


def test_reading_a_missing_store_exits_3_saying_what_to_do(tmp_path: Path) -> None:
    """A store that was never written is not silently created by a read."""
    code, _, err = _run(tmp_path / "none.db", "export")
    assert code == 3
    assert err == (
        f"Error: no ledger at sqlite:///{tmp_path / 'none.db'}: import a stream first "
        "(ledger import FILE), or point --store / LEDGER_STORE at an existing ledger\n"
    )
    assert not (tmp_path / "none.db").exists()


def test_a_file_that_is_not_a_database_exits_3(tmp_path: Path) -> None:
    """Pointing --store at some other file is a store error, not a crash."""
    other = tmp_path / "notes.db"
    other.write_text("shopping list\n" * 200)
    code, _, err = _run(other, "verify")
    assert code == 3
    assert "is not a ledger store" in err


def test_store_can_come_from_the_environment(tmp_path: Path) -> None:
    """LEDGER_STORE is used when --store is not given."""
    stream = write(tmp_path / "s.jsonl", BASIC)
    runner = CliRunner(env={"LEDGER_STORE": f"sqlite:///{tmp_path / 'env.db'}"})
    assert runner.invoke(main, ["import", str(stream)]).exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_unknown_store_scheme_is_bad_usage(tmp_path: Path) -> None:
    """A store URL the ledger cannot use is exit 2 with the forms it takes."""
    result = CliRunner().invoke(main, ["--store", "mysql://x/y", "verify"])
    assert result.exit_code == 2, result.output
    assert "unknown store URL scheme 'mysql'" in result.stderr
