"""SQLite rows: reading events by reference or id, and the write session of an import."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from ledger.store.backend import CHAIN_TABLE, REFS_TABLE, NewEvent, StoredLine
from ledger.store.chain import GENESIS, link

EVENTS_TABLE = "stored_events"  # eventsourcing's, not prefixed: one file per application

_CHUNK = 500  # stays under SQLite's limit on bound parameters
WRITE_CACHE_KIB = 32 * 1024


def lines_of(cursor: sqlite3.Cursor, sql: str, params: Sequence[Any]) -> list[StoredLine]:
    return [StoredLine(r[0], r[1], r[2], bytes(r[3])) for r in cursor.execute(sql, params)]


def by_refs(cursor: sqlite3.Cursor, refs: Iterable[str]) -> list[StoredLine]:
    wanted = sorted(set(refs))
    found: dict[int, StoredLine] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in lines_of(
            cursor,
            f"SELECT e.rowid, e.originator_id, e.topic, e.state FROM {EVENTS_TABLE} e "
            f"WHERE e.rowid IN (SELECT notification_id FROM {REFS_TABLE} WHERE ref IN ({marks}))",
            chunk,
        ):
            found[row.notification_id] = row
    return [found[key] for key in sorted(found)]


def by_ids(cursor: sqlite3.Cursor, ids: Iterable[str]) -> list[StoredLine]:
    wanted = sorted(set(ids))
    found: list[StoredLine] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found += lines_of(
            cursor,
            f"SELECT rowid, originator_id, topic, state FROM {EVENTS_TABLE} "
            f"WHERE originator_id IN ({marks})",
            chunk,
        )
    return sorted(found, key=lambda row: row.notification_id)


class Write:
    """One BEGIN IMMEDIATE transaction: the write lock is held from the first read of the head."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self.cursor = cursor
        # A long import inserts all over three indexes: a bigger page cache keeps them in memory
        # instead of spilling half-built pages to the log (bounded, so memory stays flat).
        cursor.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
        row = cursor.execute(
            f"SELECT seq, hash FROM {CHAIN_TABLE} ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        self.head: tuple[int, bytes] = (row[0], bytes(row[1])) if row else (0, GENESIS)
        top = cursor.execute(f"SELECT MAX(rowid) FROM {EVENTS_TABLE}").fetchone()[0]
        self.next_id: int = (top or 0) + 1

    def existing(self, ids: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for event_id, state in self.cursor.execute(
                f"SELECT originator_id, state FROM {EVENTS_TABLE} "
                f"WHERE originator_id IN ({marks}) AND originator_version = 1",
                chunk,
            ):
                found[event_id] = bytes(state)
        return found

    def append(self, events: Sequence[NewEvent]) -> list[int]:
        seq, previous = self.head
        rows: list[tuple[int, str, int, str, bytes]] = []
        links: list[tuple[int, int, bytes]] = []
        refs: list[tuple[str, int, int]] = []
        ids: list[int] = []
        for event in events:
            seq += 1
            nid = self.next_id
            self.next_id += 1
            ids.append(nid)
            previous = link(previous, event.line)
            # Each event is its own one-version stream: the primary key makes ids unique.
            rows.append((nid, event.event_id, 1, event.type, event.line))
            links.append((seq, nid, previous))
            refs.extend((ref, at, nid) for ref, at in event.refs)
        self.cursor.executemany(
            f"INSERT INTO {EVENTS_TABLE} (rowid, originator_id, originator_version, topic, state) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        self.cursor.executemany(f"INSERT INTO {CHAIN_TABLE} VALUES (?, ?, ?)", links)
        self.add_refs(refs)
        self.head = (seq, previous)
        return ids

    def add_refs(self, rows: Sequence[tuple[str, int, int]]) -> None:
        # Inserting in key order keeps the index's pages warm.
        self.cursor.executemany(
            f"INSERT OR IGNORE INTO {REFS_TABLE} (ref, at, notification_id) VALUES (?, ?, ?)",
            sorted(rows),
        )

    def by_refs(self, refs: Sequence[str]) -> list[StoredLine]:
        return by_refs(self.cursor, refs)

    def by_ids(self, ids: Sequence[str]) -> list[StoredLine]:
        return by_ids(self.cursor, ids)

    def lines(self, after: int, limit: int) -> list[StoredLine]:
        return lines_of(
            self.cursor,
            f"SELECT rowid, originator_id, topic, state FROM {EVENTS_TABLE} "
            "WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (after, limit),
        )
