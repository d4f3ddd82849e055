"""kill -9 of a catch-up that computes in worker processes leaves no worker behind."""

from __future__ import annotations

import json
import os
import select
import signal
from pathlib import Path

import pytest

from tests.support.processes import ledger_command, paused

INCIDENTS = 2_000  # enough chunks (300 incidents each) for the catch-up to use workers
WAIT = 60.0  # seconds a test waits for the workers to go


def _stream(path: Path) -> Path:
    with path.open("w") as out:
        for n in range(INCIDENTS):
            out.write(
                json.dumps(
                    {
                        "id": f"n-{n}",
                        "type": "CallReceived",
                        "at": f"2024-01-01T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z",
                        "incident": f"CAD-{n:05d}",
                        "call": f"c-{n}",
                        "channel": "999",
                    }
                )
                + "\n"
            )
    return path


def _children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid …: comm may hold spaces, so split after its closing bracket.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def _gone_in_time(pid: int) -> bool:
    """True when `pid` ends within WAIT seconds (waiting on its pidfd: no polling)."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        ready, _, _ = select.select([handle], [], [], WAIT)
    finally:
        os.close(handle)
    return bool(ready)


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="needs Linux's /proc and pidfds")
def test_killing_a_catch_up_kills_its_workers(tmp_path: Path) -> None:
    """The workers of a catch-up killed with -9 die with it (none left running)."""
    store = f"sqlite:///{tmp_path / 'l.db'}"
    stream = _stream(tmp_path / "s.jsonl")
    command = ledger_command(store, "import", str(stream))
    with paused(command, "catchup.rows-written") as catching_up:
        catching_up.wait_until_there()  # a chunk is written: the workers are at work
        workers = _children(catching_up.process.pid)
        assert workers, "the catch-up did not start worker processes"
        os.kill(catching_up.process.pid, signal.SIGKILL)
        catching_up.process.communicate(timeout=WAIT)  # reaps it, closes its pipes
    assert [pid for pid in workers if not _gone_in_time(pid)] == []
