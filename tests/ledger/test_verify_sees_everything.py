"""`ledger verify` sees every stored column, the index and odd values, and never crashes.

Each test takes the append-only triggers away first, as someone with access to the database
would, then makes one kind of edit that the chain over the content alone did not see.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger.store.chain import GENESIS, link
from tests.streams_factory import BASIC, write
from tests.support.tampering import drop_guards, raw


def _ledger(store_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["--store", store_url, "import", str(write(tmp_path / "s.jsonl", BASIC))]
    )
    assert result.exit_code == 0, result.output


def _tamper(store_url: str, *statements: str) -> None:
    with raw(store_url) as (conn, table):
        drop_guards(conn, table)
        for statement in statements:
            conn.execute(statement.format(t=table))


def _verify(store_url: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", store_url, "verify"])
    return result.exit_code, result.output


def _fails(store_url: str, tmp_path: Path, *statements: str) -> str:
    """Import BASIC, make the edits, and verify: exit 3 expected; what it says."""
    _ledger(store_url, tmp_path)
    _tamper(store_url, *statements)
    code, output = _verify(store_url)
    assert code == 3, output
    assert "Traceback" not in output
    return output


def _sqlite(store_url: str) -> bool:
    return store_url.startswith("sqlite")


def test_content_rewritten_as_text_is_named_not_a_crash(store_url: str, tmp_path: Path) -> None:
    """An event's content edited into TEXT (SQLite's replace() on a BLOB) fails with exit 3."""
    _ledger(store_url, tmp_path)
    if _sqlite(store_url):
        _tamper(store_url, "UPDATE {t} SET state = replace(state, '23:57', '23:47')")
    else:
        _tamper(
            store_url,
            "ALTER TABLE {t} ALTER COLUMN state TYPE text USING convert_from(state, 'UTF8')",
            "UPDATE {t} SET state = replace(state, '23:57', '23:47')",
        )
    code, output = _verify(store_url)
    assert code == 3, output
    assert "event #1 'b-01': its content is stored as TEXT, not as the bytes appended" in output
    assert "Traceback" not in output


def test_a_renamed_event_id_is_found(store_url: str, tmp_path: Path) -> None:
    """An originator_id that no longer matches the event's own id fails at that event."""
    output = _fails(
        store_url, tmp_path, "UPDATE {t} SET originator_id = 'b-99' WHERE originator_id = 'b-03'"
    )
    assert "event #3 'b-99': stored under id 'b-99', but the event's id is 'b-03'" in output


def test_a_changed_type_is_found(store_url: str, tmp_path: Path) -> None:
    """A topic that no longer matches the event's own type fails at that event."""
    output = _fails(
        store_url, tmp_path, "UPDATE {t} SET topic = 'IncidentClosed' WHERE originator_id = 'b-03'"
    )
    assert (
        "event #3 'b-03': stored with type 'IncidentClosed', but the event is a 'UnitAllocated'"
        in output
    )


def test_a_changed_version_is_found(store_url: str, tmp_path: Path) -> None:
    """A version other than 1 (which would let the id be imported again) fails."""
    output = _fails(
        store_url, tmp_path, "UPDATE {t} SET originator_version = 2 WHERE originator_id = 'b-04'"
    )
    assert "event #4 'b-04': stored as version 2, not 1" in output


def test_deleted_index_rows_are_found(store_url: str, tmp_path: Path) -> None:
    """An event no longer filed under its incident fails, naming the missing reference."""
    output = _fails(store_url, tmp_path, "DELETE FROM ledger_index WHERE notification_id = 3")
    assert "event #3 'b-03' is not filed under 'i:CAD-1'" in output
    assert "index rows were removed" in output


def test_an_added_index_row_is_found(store_url: str, tmp_path: Path) -> None:
    """An event filed under a reference it does not name fails."""
    output = _fails(
        store_url,
        tmp_path,
        "INSERT INTO ledger_index (ref, at, notification_id) VALUES ('i:X', 0, 2)",
    )
    assert "event #2 'b-02' is filed under 'i:X' (at 0) in the index, which it does not name" in (
        output
    )


def test_an_index_row_of_no_event_is_found(store_url: str, tmp_path: Path) -> None:
    """An index row naming a notification no event has fails."""
    output = _fails(
        store_url,
        tmp_path,
        "INSERT INTO ledger_index (ref, at, notification_id) VALUES ('i:X', 0, 99)",
    )
    assert "index row ('i:X', 0) names notification 99, which is no event" in output


@pytest.mark.parametrize(
    ("column", "seq", "text", "message"),
    [
        ("hash", 2, "hex(hash)", "event #2 'b-02': its chain hash is {kind}, not a SHA-256"),
        (
            "notification_id",
            3,
            "'x'",
            "event #3 'b-03': the chain expects notification {value} here, found 3",
        ),
    ],
)
def test_a_chain_value_of_the_wrong_kind_is_named(
    store_url: str, tmp_path: Path, column: str, seq: int, text: str, message: str
) -> None:
    """A chain entry's hash or position stored as TEXT (or NULL) is a problem named."""
    _ledger(store_url, tmp_path)
    if _sqlite(store_url):
        _tamper(store_url, f"UPDATE ledger_chain SET {column} = {text} WHERE seq = {seq}")
        expected = message.format(kind="TEXT", value="'x'")
    else:  # PostgreSQL's typed columns take no text: a NULL, once allowed
        _tamper(
            store_url,
            f"ALTER TABLE ledger_chain ALTER COLUMN {column} DROP NOT NULL",
            f"UPDATE ledger_chain SET {column} = NULL WHERE seq = {seq}",
        )
        expected = message.format(kind="NULL", value="None")
    code, output = _verify(store_url)
    assert code == 3, output
    assert expected in output


def test_a_dropped_chain_is_a_store_problem(store_url: str, tmp_path: Path) -> None:
    """A ledger whose chain table was dropped fails with exit 3 and no traceback."""
    output = _fails(store_url, tmp_path, "DROP TABLE ledger_chain")
    assert "Traceback" not in output
    assert "ledger_chain" in output or "not a ledger" in output


def test_a_null_id_is_named(tmp_path: Path) -> None:
    """A NULL where an id belongs is named (SQLite lets a column hold NULL once rebuilt)."""
    store_url = f"sqlite:///{tmp_path / 'ledger.db'}"
    _ledger(store_url, tmp_path)
    with raw(store_url) as (conn, table):
        assert isinstance(conn, sqlite3.Connection)
        drop_guards(conn, table)
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = replace(sql, 'originator_id TEXT NOT NULL', "
            "'originator_id TEXT') WHERE name = ?",
            (table,),
        )
        conn.execute("PRAGMA writable_schema = OFF")
    with raw(store_url) as (conn, table):
        conn.execute(f"UPDATE {table} SET originator_id = NULL WHERE rowid = 5")
    code, output = _verify(store_url)
    assert code == 3, output
    assert "event #5 None: stored under id None, but the event's id is 'b-05'" in output


def test_content_that_is_no_event_is_named_even_when_rechained(
    store_url: str, tmp_path: Path
) -> None:
    """Content replaced by bytes that are no JSON, with the chain recomputed over them, is a
    problem named (only an expected head shows the chain was rewritten), never a crash."""
    _ledger(store_url, tmp_path)
    with raw(store_url) as (conn, table):
        drop_guards(conn, table)
        position = "rowid" if _sqlite(store_url) else "notification_id"
        mark = "?" if _sqlite(store_url) else "%s"
        conn.execute(f"UPDATE {table} SET state = {mark} WHERE {position} = 3", (b"not json",))
        states = conn.execute(f"SELECT state FROM {table} ORDER BY {position}").fetchall()
        head = GENESIS
        for seq, (state,) in enumerate(states, start=1):
            head = link(head, bytes(state))
            conn.execute(f"UPDATE ledger_chain SET hash = {mark} WHERE seq = {mark}", (head, seq))
    code, output = _verify(store_url)
    assert code == 3, output
    assert "event #3 'b-03': its content is not an event (not a JSON object)" in output
