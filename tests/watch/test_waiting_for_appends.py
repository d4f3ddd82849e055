"""Waiting for another process's appends: PostgreSQL wakes on NOTIFY, SQLite by polling."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from ledger.store.ledger import Ledger
from ledger.store.notify import waiter_for
from tests.cli.support import seeded, write_stream
from tests.support.processes import WAIT
from tests.watch.test_watch_live import import_timed
from tests.watch.watching import LAG_LIMIT


def test_a_waiter_wakes_when_another_process_commits_an_import(
    store_url: str, tmp_path: Path
) -> None:
    """Waiting with a 60 s timeout returns within 2 s of another process's commit."""
    seeded(store_url)
    note = {"id": "w-note", "type": "IncidentNoted", "at": "2018-06-01T07:00:00+01:00"}
    note |= {"by": "fcr-01", "incident": "MPS-2018-0531-8842", "text": "Reviewed."}
    woke: list[tuple[bool, float]] = []
    with Ledger.open(store_url) as ledger:
        waiter = waiter_for(ledger.backend)
        try:
            top = ledger.backend.top()
            waiting = threading.Thread(
                target=lambda: woke.append((waiter.wait(top, 60.0), time.time()))
            )
            waiting.start()
            committed = import_timed(store_url, write_stream(tmp_path / "note.jsonl", [note]))
            waiting.join(WAIT)
        finally:
            waiter.close()
    assert woke, "the waiter did not return"
    assert woke[0][0]
    assert woke[0][1] - committed < LAG_LIMIT
