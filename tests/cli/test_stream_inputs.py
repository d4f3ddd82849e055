"""`ledger import` reads whatever a user points it at: a clear message, never a traceback."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from click.testing import CliRunner

from cli.main import main
from tests.streams_factory import BASIC, write
from tests.support.processes import ledger_command, run_as_ordinary_user


def _import(store: Path, *files: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", f"sqlite:///{store}", "import", *files])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def test_a_byte_order_mark_at_the_start_of_a_stream_is_skipped(tmp_path: Path) -> None:
    """A BOM before the first line is allowed (stream.md); the events import as without it."""
    plain = write(tmp_path / "plain.jsonl", BASIC)
    marked = tmp_path / "marked.jsonl"
    marked.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    code, err = _import(tmp_path / "l.db", str(marked))
    assert code == 0, err
    assert err.startswith("added 7, skipped 0")
    assert _import(tmp_path / "l.db", str(plain))[1].startswith("added 0, skipped 7")


def test_a_byte_order_mark_inside_a_gzip_stream_is_skipped(tmp_path: Path) -> None:
    """The mark is looked for in the decompressed stream, where a file's text begins."""
    data = b"\xef\xbb\xbf" + write(tmp_path / "s.jsonl", BASIC).read_bytes()
    (tmp_path / "s.jsonl.gz").write_bytes(gzip.compress(data))
    code, err = _import(tmp_path / "l.db", str(tmp_path / "s.jsonl.gz"))
    assert code == 0, err


def test_a_truncated_gzip_stream_is_bad_input_naming_where_it_stopped(tmp_path: Path) -> None:
    """A gzip file cut short is exit 2 with FILE:LINE, and nothing of it is written."""
    whole = gzip.compress(write(tmp_path / "s.jsonl", BASIC).read_bytes())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    code, err = _import(tmp_path / "l.db", str(cut))
    assert code == 2, err
    where = re.escape(str(cut))
    assert re.search(rf"{where}:\d+: cannot be read: the compressed file is truncated", err)
    assert "Traceback" not in err
    assert not (tmp_path / "l.db").exists()


def test_a_corrupt_gzip_stream_is_bad_input(tmp_path: Path) -> None:
    """Gzip's magic number followed by garbage is exit 2, not a crash or `Aborted!`."""
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00garbage that is not deflate")
    code, err = _import(tmp_path / "l.db", str(bad))
    assert code == 2, err
    assert f"{bad}:1: cannot be read: the compressed file is corrupt" in err


def test_an_empty_input_such_as_dev_null_imports_nothing(tmp_path: Path) -> None:
    """`/dev/null` is an empty stream, not "no such file"."""
    code, err = _import(tmp_path / "l.db", "/dev/null")
    assert code == 0, err
    assert err.startswith("added 0, skipped 0 already recorded; the ledger holds 0 events")


def test_a_missing_input_or_a_directory_is_bad_usage(tmp_path: Path) -> None:
    """exit 2 saying what the path is."""
    code, err = _import(tmp_path / "l.db", str(tmp_path / "nope.jsonl"))
    assert code == 2
    assert f"{tmp_path / 'nope.jsonl'}: cannot be read: no such file" in err
    code, err = _import(tmp_path / "l.db", str(tmp_path))
    assert code == 2
    assert f"{tmp_path}: is a directory, not a stream file" in err


def test_an_input_file_name_over_255_bytes_is_bad_usage(tmp_path: Path) -> None:
    """The operating system's "file name too long" is a message, not a traceback."""
    code, err = _import(tmp_path / "l.db", str(tmp_path / ("x" * 300 + ".jsonl")))
    assert code == 2
    assert "cannot be read: File name too long" in err


def test_an_input_the_user_may_not_read_is_bad_usage(tmp_path: Path) -> None:
    """A file without read permission is exit 2 naming it, and no ledger is created."""
    stream = write(tmp_path / "secret.jsonl", BASIC)
    stream.chmod(0o000)
    store = f"sqlite:///{tmp_path / 'l.db'}"
    done = run_as_ordinary_user(ledger_command(store, "import", str(stream)))
    assert done.returncode == 2, done.stderr
    assert f"{stream}: cannot be read: Permission denied" in done.stderr
    assert not (tmp_path / "l.db").exists()
