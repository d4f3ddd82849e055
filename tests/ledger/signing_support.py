"""Shared by the signing tests: a ledger, a key pair, the command line, and raw SQL access."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from cli.main import main
from ledger.store.chain import GENESIS, link
from tests.ledger.test_integrity import raw
from tests.streams_factory import BASIC, write

__all__ = ["raw"]  # the raw connection of the integrity tests, shared


def ledger_cli(store_url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--store", store_url, *args])


def imported(store_url: str, tmp_path: Path, events: list[dict[str, Any]] = BASIC) -> None:
    stream = write(tmp_path / f"s{len(list(tmp_path.iterdir()))}.jsonl", events)
    result = ledger_cli(store_url, "import", str(stream))
    assert result.exit_code == 0, result.output


def key_pair(tmp_path: Path, name: str = "signing.key") -> tuple[Path, Path]:
    key = tmp_path / name
    result = CliRunner().invoke(main, ["keygen", str(key)])
    assert result.exit_code == 0, result.output
    return key, key.with_name(name + ".pub")


def signed_ledger(store_url: str, tmp_path: Path) -> tuple[Path, Path]:
    """A ledger of BASIC with one checkpoint; the key pair that signed it."""
    imported(store_url, tmp_path)
    key, public = key_pair(tmp_path)
    result = ledger_cli(store_url, "checkpoint", "--key", str(key))
    assert result.exit_code == 0, result.output
    return key, public


def drop_guards(conn: Any) -> None:
    """What someone who can write the database does first: take the triggers away."""
    if isinstance(conn, sqlite3.Connection):
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
        for name in names:
            conn.execute(f"DROP TRIGGER {name}")
        return
    tables = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    ).fetchall()
    for (name,) in tables:
        conn.execute(f'ALTER TABLE "{name}" DISABLE TRIGGER USER')


def rewrite_consistently(store_url: str, event_id: str, old: bytes, new: bytes) -> None:
    """Edit one event's stored line and recompute the whole chain after it, as an insider
    with write access could: edit a field the index does not file (`by`) and the chain and
    index then verify; only a signed checkpoint tells."""
    with raw(store_url) as (conn, table):
        drop_guards(conn)
        sqlite = isinstance(conn, sqlite3.Connection)
        nid = "rowid" if sqlite else "notification_id"
        mark = "?" if sqlite else "%s"
        row = conn.execute(
            f"SELECT state FROM {table} WHERE originator_id = {mark}", (event_id,)
        ).fetchone()
        changed = bytes(row[0]).replace(old, new)
        assert changed != bytes(row[0])
        conn.execute(
            f"UPDATE {table} SET state = {mark} WHERE originator_id = {mark}", (changed, event_id)
        )
        rows = conn.execute(
            f"SELECT c.seq, e.state FROM ledger_chain c JOIN {table} e "
            f"ON e.{nid} = c.notification_id ORDER BY c.seq"
        ).fetchall()
        previous = GENESIS
        for seq, state in rows:
            previous = link(previous, bytes(state))
            conn.execute(
                f"UPDATE ledger_chain SET hash = {mark} WHERE seq = {mark}", (previous, seq)
            )


def cut_last_event(store_url: str) -> None:
    """Remove the last event with its chain entry and index rows: a tidy truncation."""
    with raw(store_url) as (conn, table):
        drop_guards(conn)
        sqlite = isinstance(conn, sqlite3.Connection)
        nid = "rowid" if sqlite else "notification_id"
        (top,) = conn.execute(f"SELECT MAX({nid}) FROM {table}").fetchone()
        (seq,) = conn.execute("SELECT MAX(seq) FROM ledger_chain").fetchone()
        mark = "?" if sqlite else "%s"
        conn.execute(f"DELETE FROM {table} WHERE {nid} = {mark}", (top,))
        conn.execute(f"DELETE FROM ledger_chain WHERE seq = {mark}", (seq,))
        conn.execute(f"DELETE FROM ledger_index WHERE notification_id = {mark}", (top,))
