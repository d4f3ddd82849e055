"""The store never destroys what it did not make: another program's file or schema is refused
untouched; a failed first import removes exactly what it made, never a store another import is
using (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.conftest import POSTGRES
from tests.streams_factory import BASIC, write
from tests.support.processes import ledger_command, paused

BAD = [{"id": "x", "type": "Nope"}]


def _run(store_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", store_url, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def _schema(store_url: str) -> str:
    return store_url.split("?schema=")[1]


def _pg(sql: str, *params: Any) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(POSTGRES.split("?")[0], autocommit=True) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def _pg_objects(schema: str) -> list[tuple[Any, ...]]:
    """Every table, type and function in the schema, and whether the schema exists."""
    return _pg(
        "SELECT 'schema', nspname FROM pg_namespace WHERE nspname = %s UNION ALL "
        "SELECT 'relation', relname FROM pg_class c JOIN pg_namespace n "
        "ON n.oid = c.relnamespace WHERE nspname = %s UNION ALL "
        "SELECT 'type', typname FROM pg_type t JOIN pg_namespace n "
        "ON n.oid = t.typnamespace WHERE nspname = %s UNION ALL "
        "SELECT 'function', proname FROM pg_proc p JOIN pg_namespace n "
        "ON n.oid = p.pronamespace WHERE nspname = %s ORDER BY 1, 2",
        schema,
        schema,
        schema,
        schema,
    )


def _digest(path: Path) -> list[tuple[str, str]]:
    """Every file under `path` with the SHA-256 of its bytes."""
    return sorted(
        (str(item.relative_to(path)), hashlib.sha256(item.read_bytes()).hexdigest())
        for item in path.rglob("*")
        if item.is_file()
    )


@pytest.fixture
def foreign_store(store_url: str, tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """The store's place holding another program's data; yields (url, a way to fingerprint it)."""
    if store_url.startswith("sqlite"):
        import sqlite3

        folder = tmp_path / "other"
        folder.mkdir()
        with sqlite3.connect(folder / "f.db") as conn:
            conn.execute("CREATE TABLE precious (what TEXT)")
            conn.execute("INSERT INTO precious VALUES ('irreplaceable')")
        conn.close()
        yield f"sqlite:///{folder / 'f.db'}", lambda: _digest(folder)
        return
    schema = _schema(store_url)
    _pg(f'CREATE SCHEMA "{schema}"')
    _pg(f'CREATE TABLE "{schema}".precious (what text)')
    _pg(f"INSERT INTO \"{schema}\".precious VALUES ('irreplaceable')")

    def fingerprint() -> Any:
        rows = _pg(f'SELECT what FROM "{schema}".precious')
        return _pg_objects(schema), rows

    yield store_url, fingerprint


@pytest.mark.parametrize("stream", [BAD, BASIC], ids=["bad input", "good input"])
def test_a_store_the_ledger_did_not_make_is_refused_and_left_as_it_was(
    foreign_store: tuple[str, Any], tmp_path: Path, stream: list[dict[str, Any]]
) -> None:
    """Another program's database or schema: exit 3 "is not a ledger store", byte-identical."""
    url, fingerprint = foreign_store
    before = fingerprint()
    code, err = _run(url, "import", str(write(tmp_path / "in.jsonl", stream)))
    assert code == 3, err
    assert "is not a ledger store" in err
    assert "nothing was changed" in err
    for command in (["verify"], ["incidents"], ["export"]):
        code, err = _run(url, *command)
        assert code == 3, err
        assert "is not a ledger store" in err
    assert fingerprint() == before


def test_an_empty_file_is_not_a_ledger_and_stays_empty(tmp_path: Path) -> None:
    """A 0-byte file at the store's path is refused, not taken over or deleted."""
    empty = tmp_path / "f.db"
    empty.touch()
    code, err = _run(f"sqlite:///{empty}", "import", str(write(tmp_path / "in.jsonl", BASIC)))
    assert code == 3, err
    assert f"{empty} is not a ledger store (an empty file); nothing was changed" in err
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.db", "in.jsonl"]


def test_a_folder_at_the_store_path_is_not_a_ledger(tmp_path: Path) -> None:
    """A directory where the file should be is refused, and left alone."""
    (tmp_path / "f.db").mkdir()
    code, err = _run(f"sqlite:///{tmp_path / 'f.db'}", "verify")
    assert code == 3
    assert "is not a ledger store (a folder)" in err


def test_a_failed_first_import_removes_the_folders_it_made_and_nothing_else(
    tmp_path: Path,
) -> None:
    """sqlite:///a/b/c/l.db: a/ existed, b/ and c/ were made, and go again with the file."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "keep.txt").write_text("mine")
    url = f"sqlite:///{tmp_path / 'a' / 'b' / 'c' / 'l.db'}"
    code, _ = _run(url, "import", str(write(tmp_path / "in.jsonl", BAD)))
    assert code == 2
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "in.jsonl"]


@pytest.mark.postgres
def test_a_failed_first_import_leaves_no_schema_type_or_function(
    store_url: str, tmp_path: Path
) -> None:
    """On PostgreSQL the whole creation is undone with the import: nothing is left."""
    if not store_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL schema")
    code, _ = _run(store_url, "import", str(write(tmp_path / "in.jsonl", BAD)))
    assert code == 2
    assert _pg_objects(_schema(store_url)) == []


@pytest.mark.postgres
def test_a_failed_first_import_into_an_empty_schema_leaves_it_empty(
    store_url: str, tmp_path: Path
) -> None:
    """A schema made for the ledger by someone else stays, empty; a good import then fills it."""
    if not store_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL schema")
    schema = _schema(store_url)
    _pg(f'CREATE SCHEMA "{schema}"')
    assert _run(store_url, "import", str(write(tmp_path / "bad.jsonl", BAD)))[0] == 2
    assert _pg_objects(schema) == [("schema", schema)]
    assert _run(store_url, "import", str(write(tmp_path / "good.jsonl", BASIC)))[0] == 0
    assert _run(store_url, "verify")[0] == 0


def test_a_failed_first_import_never_removes_a_store_another_import_is_using(
    store_url: str, tmp_path: Path
) -> None:
    """Two first imports at once: the bad one fails while the good one holds the new store;
    the good one then completes, and its events are in a ledger that verifies."""
    bad = write(tmp_path / "bad.jsonl", BAD)
    good = write(tmp_path / "good.jsonl", BASIC)
    with paused(ledger_command(store_url, "import", str(bad)), "import.refusing") as failing:
        failing.wait_until_there()  # it made the store and is about to fail
        importing = ledger_command(store_url, "import", str(good))
        with paused(importing, "store.ready") as succeeding:
            succeeding.wait_until_there()  # it has found that store and holds it
            code, err = failing.go_on()
            assert code == 2, err
            code, err = succeeding.go_on()
            assert code == 0, err
            assert err.startswith("added 7, skipped 0")
    code, err = _run(store_url, "verify")
    assert code == 0, err
    assert "ok: 7 events" in CliRunner().invoke(main, ["--store", store_url, "verify"]).output


def test_two_processes_upgrading_an_older_store_at_once_both_succeed(
    store_url: str, tmp_path: Path
) -> None:
    """Opening a store of the older index format upgrades it once, under the write lock: a
    second process that waited for the lock finds it done and goes on."""
    assert _run(store_url, "import", str(write(tmp_path / "in.jsonl", BASIC)))[0] == 0
    from ledger.store.ledger import Ledger

    with Ledger.open(store_url) as ledger, ledger.backend.connection() as cursor:
        cursor.execute("DROP TABLE ledger_index")
        cursor.execute(
            "CREATE TABLE ledger_refs (ref TEXT NOT NULL, notification_id BIGINT NOT NULL, "
            "PRIMARY KEY (ref, notification_id))"
        )
    with paused(ledger_command(store_url, "verify"), "store.ready") as first:
        first.wait_until_there()  # found the old index, about to take the lock and upgrade
        code, err = _run(store_url, "verify")  # upgrades it meanwhile
        assert code == 0, err
        code, err = first.go_on()
        assert code == 0, err
    with Ledger.open(store_url) as ledger:
        assert not ledger.backend.index_outdated()
