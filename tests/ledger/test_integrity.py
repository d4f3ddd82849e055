"""Append-only at the database, and tamper-evident when someone with file access edits it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.streams_factory import BASIC, write
from tests.support.tampering import drop_guards, raw


def _ledger(store_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["--store", store_url, "import", str(write(tmp_path / "s.jsonl", BASIC))]
    )
    assert result.exit_code == 0, result.output


def _verify(store_url: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", store_url, "verify"])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {t} SET topic = 'IncidentClosed'",
        "DELETE FROM {t} WHERE originator_id = 'b-03'",
        "UPDATE ledger_chain SET hash = hash",
        "DELETE FROM ledger_index",
    ],
)
def test_the_database_refuses_to_change_or_remove_events(
    store_url: str, tmp_path: Path, statement: str
) -> None:
    """UPDATE and DELETE in raw SQL are refused by triggers, and the ledger still verifies."""
    _ledger(store_url, tmp_path)
    with raw(store_url) as (conn, table), pytest.raises(Exception, match="append-only"):
        conn.execute(statement.format(t=table))
    assert _verify(store_url)[0] == 0


@pytest.mark.postgres
@pytest.mark.parametrize("store_url", ["postgres"], indirect=True)
def test_postgres_refuses_truncate(store_url: str, tmp_path: Path) -> None:
    """TRUNCATE bypasses row triggers, so PostgreSQL has a statement trigger against it."""
    _ledger(store_url, tmp_path)
    with raw(store_url) as (conn, table), pytest.raises(Exception, match="append-only"):
        conn.execute(f"TRUNCATE {table}")


def test_an_untouched_ledger_verifies_with_a_summary(store_url: str, tmp_path: Path) -> None:
    """verify exits 0 and names the events, incidents and chain head."""
    _ledger(store_url, tmp_path)
    code, output = _verify(store_url)
    assert code == 0, output
    assert output.startswith("ok: 7 events, 2 incidents, chain head ")


def test_a_changed_byte_is_found_and_named(store_url: str, tmp_path: Path) -> None:
    """Editing one stored event's content fails verification at that event (exit 3)."""
    _ledger(store_url, tmp_path)
    with raw(store_url) as (conn, table):
        drop_guards(conn, table)
        if isinstance(conn, sqlite3.Connection):
            conn.execute(
                f"UPDATE {table} SET state = CAST(replace(CAST(state AS TEXT), '\"S\"', '\"I\"') "
                "AS BLOB) WHERE originator_id = 'b-02'"
            )
        else:
            conn.execute(
                f"UPDATE {table} SET state = convert_to(replace(convert_from(state, 'UTF8'), "
                "'\"S\"', '\"I\"'), 'UTF8') WHERE originator_id = 'b-02'"
            )
    code, output = _verify(store_url)
    assert code == 3, output
    assert "event #2 'b-02': content does not match its chain hash" in output


def test_a_removed_event_is_found(store_url: str, tmp_path: Path) -> None:
    """Deleting an event (and even its chain entry) fails verification where it was."""
    _ledger(store_url, tmp_path)
    with raw(store_url) as (conn, table):
        drop_guards(conn, table)
        conn.execute(f"DELETE FROM {table} WHERE originator_id = 'b-03'")
    code, output = _verify(store_url)
    assert code == 3, output
    assert "event #3 'b-04': the chain expects notification 3 here, found 4" in output


def test_an_event_removed_with_its_chain_entry_is_found(store_url: str, tmp_path: Path) -> None:
    """Removing the chain entry too leaves a gap in the chain's sequence."""
    _ledger(store_url, tmp_path)
    with raw(store_url) as (conn, table):
        drop_guards(conn, table)
        conn.execute(f"DELETE FROM {table} WHERE originator_id = 'b-03'")
        conn.execute("DELETE FROM ledger_chain WHERE seq = 3")
    code, output = _verify(store_url)
    assert code == 3, output
    assert "event #3 'b-04': chain entry #3 is missing (found #4)" in output


def test_reordered_rows_are_found(store_url: str, tmp_path: Path) -> None:
    """Swapping two events' places in the log fails verification at the first of them."""
    _ledger(store_url, tmp_path)
    with raw(store_url) as (conn, table):
        drop_guards(conn, table)
        column = "rowid" if isinstance(conn, sqlite3.Connection) else "notification_id"
        conn.execute(f"UPDATE {table} SET {column} = -3 WHERE {column} = 3")
        conn.execute(f"UPDATE {table} SET {column} = 3 WHERE {column} = 4")
        conn.execute(f"UPDATE {table} SET {column} = 4 WHERE {column} = -3")
    code, output = _verify(store_url)
    assert code == 3, output
    assert "event #3 'b-04': content does not match its chain hash" in output


def test_events_cut_off_the_end_are_found_against_an_expected_head(
    store_url: str, tmp_path: Path
) -> None:
    """The chain alone cannot see a truncated tail; an earlier head (from a manifest) can."""
    _ledger(store_url, tmp_path)
    head = _verify(store_url)[1].split("chain head ")[1].split()[0]  # then the zone line
    with raw(store_url) as (conn, table):
        drop_guards(conn, table)
        conn.execute(f"DELETE FROM {table} WHERE originator_id = 'b-07'")
        conn.execute("DELETE FROM ledger_chain WHERE seq = 7")
        conn.execute("DELETE FROM ledger_index WHERE notification_id = 7")
    assert _verify(store_url)[0] == 0
    result = CliRunner().invoke(main, ["--store", store_url, "verify", "--expect-head", head])
    assert result.exit_code == 3, result.output
    assert "events were removed from the end" in result.output
