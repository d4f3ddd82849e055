"""kill -9 at defined points of an import and of the catch-up after it (ledger.testhooks):
the ledger verifies and holds none or all of the import, and running it again completes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

from ledger.errors import StoreNotFound
from ledger.store.ledger import Ledger
from ledger.store.verify import verify
from ledger.testhooks import KILL_AT
from tests.support.processes import ledger_command

EVENTS = 6500  # four batches of an import (2,000 each): room to be killed after the third
INCIDENTS = 1300  # four chunks of a catch-up (400 each): room to be killed after the first


def _stream(path: Path) -> Path:
    with path.open("w") as out:
        for n in range(EVENTS):
            event = {
                "id": f"k-{n:07d}",
                "type": "IncidentNoted",
                "at": "2018-06-01T00:00:00+01:00",
                "incident": f"CAD-{n % INCIDENTS:06d}",
                "text": "log entry",
            }
            out.write(json.dumps(event) + "\n")
    return path


def _first(tmp_path: Path) -> Path:
    path = tmp_path / "first.jsonl"
    path.write_text(
        '{"id":"first","type":"IncidentNoted","at":"2018-06-01T00:00:00Z",'
        '"incident":"CAD-X","text":"before"}\n'
    )
    return path


def _ledger(store_url: str, *args: str, kill_at: str | None = None) -> int:
    env = dict(os.environ)
    env.pop(KILL_AT, None)
    if kill_at is not None:
        env[KILL_AT] = kill_at
    done = subprocess.run(ledger_command(store_url, *args), env=env, capture_output=True)
    return done.returncode


def _events(store_url: str) -> int | None:
    """Events in a ledger that verifies; None when there is no ledger at all."""
    try:
        ledger = Ledger.open(store_url)
    except StoreNotFound:
        return None
    with ledger:
        result = verify(ledger)
    assert result.ok, result.problem
    return result.events


@pytest.mark.slow
@pytest.mark.parametrize(
    ("point", "kept"),
    [
        ("store.ready", False),
        ("import.batch-written", False),
        ("import.batch-written:3", False),
        ("import.before-commit", False),
        ("import.committed", True),
    ],
)
def test_a_killed_import_leaves_none_or_all_of_it(
    store_url: str, tmp_path: Path, point: str, kept: bool
) -> None:
    """Killed before its commit: none of it, and a rerun completes; after: all of it."""
    stream = _stream(tmp_path / "big.jsonl")
    assert _ledger(store_url, "import", str(_first(tmp_path))) == 0
    assert _ledger(store_url, "import", str(stream), kill_at=point) == -signal.SIGKILL
    assert _events(store_url) == (EVENTS + 1 if kept else 1)
    assert _ledger(store_url, "import", str(stream)) == 0
    assert _events(store_url) == EVENTS + 1


@pytest.mark.slow
@pytest.mark.parametrize("point", ["store.ready", "import.batch-written", "import.before-commit"])
def test_a_killed_first_import_leaves_no_ledger_or_an_empty_one(
    store_url: str, tmp_path: Path, point: str
) -> None:
    """A first import killed before its commit leaves nothing of it; a rerun completes."""
    stream = _stream(tmp_path / "big.jsonl")
    assert _ledger(store_url, "import", str(stream), kill_at=point) == -signal.SIGKILL
    assert _events(store_url) in (None, 0)
    assert _ledger(store_url, "import", str(stream)) == 0
    assert _events(store_url) == EVENTS


@pytest.mark.slow
def test_a_catch_up_killed_between_chunks_is_finished_by_the_next_read(
    store_url: str, tmp_path: Path
) -> None:
    """The events are all there; the next read completes the views, as a rebuild makes them."""
    stream = _stream(tmp_path / "big.jsonl")
    assert _ledger(store_url, "import", str(_first(tmp_path))) == 0
    killed = _ledger(store_url, "import", str(stream), kill_at="catchup.rows-written")
    assert killed == -signal.SIGKILL
    assert _events(store_url) == EVENTS + 1
    after_crash = _incidents(store_url)
    assert _ledger(store_url, "rebuild") == 0
    assert _incidents(store_url) == after_crash
    assert len(after_crash) == INCIDENTS + 1


def _incidents(store_url: str) -> list[dict[str, object]]:
    done = subprocess.run(
        ledger_command(store_url, "incidents", "--format", "json"),
        capture_output=True,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]
