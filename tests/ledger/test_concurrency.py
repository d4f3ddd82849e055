"""Many users at once: concurrent imports (different and overlapping files) into one store,
with readers beside them, end as a serial import would, and none fails after saying "added"."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.streams_factory import event
from tests.support.processes import ledger_command, paused

INCIDENTS_PER_FILE = 40
OVERLAP = 30  # lines each file shares with the next, exactly as written


def _incident(file: int, n: int) -> list[dict[str, Any]]:
    """A call, a grading, a unit allocated and diverted to a neighbour, a radio message."""
    ref, unit = f"F{file}-{n:03d}", f"U{file}-{n % 7}"
    hour = f"2018-06-0{1 + n % 3}T{10 + n % 12:02d}"
    return [
        event(f"{ref}-call", "CallReceived", f"{hour}:00:00Z", incident=ref, call=f"{ref}-c",
              channel="999", caller={"phone": f"07700 90{file}{n:03d}"}),
        event(f"{ref}-grade", "IncidentGraded", f"{hour}:02:00Z", incident=ref,
              grade="IS"[n % 2]),
        event(f"{ref}-alloc", "UnitAllocated", f"{hour}:05:00Z", incident=ref, unit=unit),
        event(f"{ref}-tx", "RadioTransmission", f"{hour}:09:00Z", transmission=f"{ref}-t",
              to="control", incident=ref, **{"from": unit}),
        event(f"{ref}-divert", "UnitDiverted", f"{hour}:10:00Z", unit=unit, from_incident=ref,
              to_incident=f"F{file}-{(n + 1) % INCIDENTS_PER_FILE:03d}", initiated_by="unit",
              via=f"{ref}-t"),
    ]  # fmt: skip


def _files(folder: Path, count: int) -> list[Path]:
    """`count` streams; each also holds the first lines of the next one, unchanged."""
    own = [
        [line for n in range(INCIDENTS_PER_FILE) for line in _incident(file, n)]
        for file in range(count)
    ]
    paths = []
    for file in range(count):
        shared = own[(file + 1) % count][:OVERLAP] if count > 1 else []
        path = folder / f"part-{file}.jsonl"
        path.write_text("".join(json.dumps(line) + "\n" for line in own[file] + shared))
        paths.append(path)
    return paths


def _ledger(store_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(ledger_command(store_url, *args), capture_output=True, text=True)


def _findings(store_url: str) -> Any:
    done = _ledger(store_url, "findings", "--format", "json")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


READERS = (["findings", "--format", "json"], ["timeline", "F0-001"])
STORE_READERS = (["verify"], ["export"])  # read the events only: no read models


def _race(store_url: str, files: list[Path], options: list[str], readers: Any) -> int:
    """Import `files` all at once while `readers` run one after another; the reads made.

    Every import must complete (none says "added" and then fails or warns); a read may only
    fail because no import has made the store yet.
    """
    imports = [
        subprocess.Popen(
            ledger_command(store_url, "import", *options, str(path)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    reads = 0
    while any(process.poll() is None for process in imports):
        for args in readers:
            done = _ledger(store_url, *args)
            assert done.returncode in (0, 1, 2, 3), done.stderr
            assert "Traceback" not in done.stderr
            if done.returncode == 3:
                assert "no ledger" in done.stderr or "no incident" in done.stderr, done.stderr
            if done.returncode == 2:  # the incident's own file not imported yet: a fair answer
                assert "no incident 'F0-001' in the ledger" in done.stderr, done.stderr
            reads += 1
    for process in imports:
        _, err = process.communicate()
        assert process.returncode == 0, err
        assert err.startswith("added "), err
        assert "warning" not in err, err
    return reads


def _ends_as_a_serial_import(store_url: str, files: list[Path], tmp_path: Path) -> None:
    """The ledger verifies, holds every id once, and has a serial import's findings."""
    assert _ledger(store_url, "verify").returncode == 0
    exported = _ledger(store_url, "export").stdout.splitlines()
    ids = [json.loads(line)["id"] for line in exported]
    wanted = {json.loads(line)["id"] for path in files for line in path.read_text().splitlines()}
    assert len(ids) == len(set(ids))
    assert set(ids) == wanted
    serial = f"sqlite:///{tmp_path / 'serial.db'}"
    for path in files:
        assert _ledger(serial, "import", str(path)).returncode == 0
    assert _findings(store_url) == _findings(serial)


@pytest.mark.slow
@pytest.mark.parametrize("writers", [2, 4, 8])
def test_concurrent_imports_keep_the_store_whole(
    store_url: str, tmp_path: Path, writers: int
) -> None:
    """Imports racing into a new store, verify and export reading beside them: every import
    completes, and the ledger ends as a serial import of the same files."""
    files = _files(tmp_path, writers)
    _race(store_url, files, ["--no-views"], STORE_READERS)
    _ends_as_a_serial_import(store_url, files, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("writers", [2, 4, 8])
def test_concurrent_imports_with_readers_end_as_a_serial_import(
    store_url: str, tmp_path: Path, writers: int
) -> None:
    """The same with every import catching the views up and findings/timeline readers
    catching them up too: no read fails, no import warns, the findings are a serial import's."""
    files = _files(tmp_path, writers)
    _race(store_url, files, [], READERS)
    _ends_as_a_serial_import(store_url, files, tmp_path)


def test_an_import_whose_views_cannot_be_caught_up_still_succeeds(tmp_path: Path) -> None:
    """Once "added" is said the import has committed: a views failure is a warning, exit 0."""
    store = f"sqlite:///{tmp_path / 'l.db'}"
    first, second = _files(tmp_path, 2)
    hasty = {"LEDGER_LOCK_TIMEOUT": "1"}
    with paused(ledger_command(store, "import", str(first)), "import.committed", hasty) as one:
        one.wait_until_there()  # committed, its views not yet caught up
        holding = ledger_command(store, "import", str(second))
        with paused(holding, "import.before-commit") as other:
            other.wait_until_there()  # holds the write lock, which a catch-up needs
            code, err = one.go_on()
            assert other.go_on()[0] == 0
    assert code == 0, err
    assert err.startswith("added ")
    assert "warning: the import is complete, but the views are not up to date yet" in err
