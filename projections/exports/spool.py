"""A temporary SQLite file that puts an export's parts back in order without holding them.

Incidents arrive in the order the read side gives them, events in chunks that may repeat an
event (a diversion rests in two incidents' chunks); a report wants incidents by first call and
events by time, each once. Rendered parts go to disk and come back sorted by SQLite, whose
sort spills to disk too: memory stays flat whatever the ledger's size.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import orjson

from ledger.instants import read_instant
from ledger.store.backend import StoredLine
from projections.exports.pieces import utc_key

_TARGETS = {
    "EventCorrected": ("corrects", "corrected by"),
    "EventRetracted": ("retracts", "retracted by"),
}


class Spool:
    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="ledger-export-")
        self._db = sqlite3.connect(Path(self._folder.name) / "spool.db")
        self._db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-20000;"
            "CREATE TABLE parts (g TEXT NOT NULL, k TEXT NOT NULL, seq INTEGER PRIMARY KEY,"
            " body BLOB NOT NULL);"
            "CREATE TABLE events (nid INTEGER PRIMARY KEY, k TEXT NOT NULL, id TEXT NOT NULL,"
            " line BLOB NOT NULL);"
            "CREATE TABLE marks (target TEXT NOT NULL, seq INTEGER PRIMARY KEY, text TEXT);"
        )

    def add_part(self, group: str, key: str, body: bytes) -> None:
        self._db.execute("INSERT INTO parts (g, k, body) VALUES (?, ?, ?)", (group, key, body))

    def parts(self, group: str) -> Iterator[bytes]:
        """The parts of a group by key (then in the order they came)."""
        self._db.execute("CREATE INDEX IF NOT EXISTS parts_order ON parts (g, k, seq)")
        cursor = self._db.execute("SELECT body FROM parts WHERE g = ? ORDER BY k, seq", (group,))
        for (body,) in cursor:
            yield bytes(body)

    def add_events(self, lines: list[StoredLine]) -> None:
        rows = []
        marks = []
        for stored in lines:
            body = orjson.loads(stored.line)
            rows.append((stored.notification_id, _at_key(body["at"]), stored.event_id, stored.line))
            target = _TARGETS.get(stored.type)
            if target is not None:
                marks.append((str(body[target[0]]), f"{target[1]} {stored.event_id}"))
        self._db.executemany("INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?)", rows)
        self._db.executemany("INSERT INTO marks (target, text) VALUES (?, ?)", marks)

    def events(self) -> Iterator[tuple[bytes, str]]:
        """Each event's stored line in time order (append order breaks ties), with what
        corrected or retracted it ("corrected by X; retracted by Y", or "")."""
        self._db.execute("CREATE INDEX IF NOT EXISTS marks_target ON marks (target)")
        self._db.execute("CREATE INDEX IF NOT EXISTS events_order ON events (k, nid)")
        cursor = self._db.execute(
            "SELECT e.line, (SELECT group_concat(text, '; ') FROM"
            " (SELECT text FROM marks m WHERE m.target = e.id ORDER BY m.seq))"
            " FROM events e ORDER BY e.k, e.nid"
        )
        for line, status in cursor:
            yield bytes(line), status or ""

    def lines_in_append_order(self) -> Iterator[bytes]:
        for (line,) in self._db.execute("SELECT line FROM events ORDER BY nid"):
            yield bytes(line)

    def count_events(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM events").fetchone()[0])

    def close(self) -> None:
        self._db.close()
        self._folder.cleanup()

    def __enter__(self) -> Spool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _at_key(text: str) -> str:
    return utc_key(read_instant(text))
