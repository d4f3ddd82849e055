"""kill -9 in the middle of an import leaves a ledger that verifies, holding none or all of it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ledger.store.ledger import Ledger
from ledger.store.verify import verify

EVENTS = 120_000


def _big_stream(path: Path) -> Path:
    with path.open("w") as out:
        for n in range(EVENTS):
            out.write(
                json.dumps(
                    {
                        "id": f"k-{n:07d}",
                        "type": "IncidentNoted",
                        "at": "2018-06-01T00:00:00+01:00",
                        "incident": f"CAD-{n // 20:06d}",
                        "text": "log entry " * 8,
                    }
                )
                + "\n"
            )
    return path


def _ledger_command(store_url: str, *args: str) -> list[str]:
    return [sys.executable, "-c", "from cli.main import main; main()", "--store", store_url, *args]


@pytest.mark.slow
def test_kill_during_import_leaves_none_of_it_and_a_rerun_completes(
    store_url: str, tmp_path: Path
) -> None:
    """A killed import is rolled back whole; the same import run again completes."""
    stream = _big_stream(tmp_path / "big.jsonl")
    subprocess.run(_ledger_command(store_url, "import", str(_small(tmp_path))), check=True)
    process = subprocess.Popen(_ledger_command(store_url, "import", str(stream)))
    time.sleep(2.0)  # well into validation and writing: the import takes several seconds
    assert process.poll() is None, "the import finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    with Ledger.open(store_url) as ledger:
        result = verify(ledger)
        assert result.ok, result.problem
        assert result.events == 1  # the earlier import only: none of the killed one
    subprocess.run(_ledger_command(store_url, "import", str(stream)), check=True)
    with Ledger.open(store_url) as ledger:
        result = verify(ledger)
        assert result.ok, result.problem
        assert result.events == EVENTS + 1


def _small(tmp_path: Path) -> Path:
    path = tmp_path / "small.jsonl"
    path.write_text(
        '{"id":"first","type":"IncidentNoted","at":"2018-06-01T00:00:00Z",'
        '"incident":"CAD-0","text":"before"}\n'
    )
    return path
