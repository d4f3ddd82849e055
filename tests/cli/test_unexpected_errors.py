"""An error no command expected is exit 4 with one line asking for a report, never a traceback
with exit 1 (`--fail-on`'s "found something"); --debug or LEDGER_DEBUG=1 shows the traceback."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from ledger.testhooks import RAISE_AT
from tests.streams_factory import BASIC, write
from tests.support.processes import ledger_command


def _import(tmp_path: Path, *before: str, **env: str) -> subprocess.CompletedProcess[str]:
    store = f"sqlite:///{tmp_path / 'l.db'}"
    command = ledger_command(store, "import", str(write(tmp_path / "s.jsonl", BASIC)))
    command[command.index("--store") : command.index("--store")] = list(before)
    environment = {k: v for k, v in os.environ.items() if k != "LEDGER_DEBUG"}
    environment.update({RAISE_AT: "import.committed", **env})
    return subprocess.run(command, env=environment, capture_output=True, text=True)


def test_an_unexpected_error_is_exit_4_with_one_line_asking_for_a_report(tmp_path: Path) -> None:
    """No traceback, the error named, and how to see more."""
    done = _import(tmp_path)
    assert done.returncode == 4
    assert done.stderr.splitlines() == [
        "Error: unexpected error (RuntimeError: LEDGER_TEST_RAISE_AT asked for an error at "
        "import.committed). This is a bug in the ledger: please report it, with the command "
        "you ran; run it again with --debug (or LEDGER_DEBUG=1) for the details."
    ]


def test_debug_shows_the_traceback_and_still_exits_4(tmp_path: Path) -> None:
    """--debug, or LEDGER_DEBUG=1, prints the traceback before the same line."""
    for done in (_import(tmp_path, "--debug"), _import(tmp_path, LEDGER_DEBUG="1")):
        assert done.returncode == 4
        assert done.stderr.startswith("Traceback (most recent call last):")
        assert "please report it" in done.stderr.splitlines()[-1]


def test_a_reader_that_stops_reading_is_not_a_bug(tmp_path: Path) -> None:
    """`ledger export | head`: when the reader goes away the export stops quietly."""
    store = f"sqlite:///{tmp_path / 'l.db'}"
    many = [{**BASIC[-2], "id": f"n-{n}", "text": "x" * 200} for n in range(5000)]
    stream = tmp_path / "many.jsonl"
    stream.write_text("".join(json.dumps(item) + "\n" for item in many))
    subprocess.run(ledger_command(store, "import", "--no-views", str(stream)), check=True)
    export = subprocess.Popen(
        ledger_command(store, "export"), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert export.stdout is not None
    assert export.stdout.read(10)
    export.stdout.close()  # more than a pipe holds is still to come
    _, err = export.communicate(timeout=60)
    assert export.returncode == 141
    assert err == b""
