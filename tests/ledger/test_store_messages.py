"""Store URLs and places the ledger cannot use are a message and exit 2 or 3, never a
traceback; a read-only ledger can be read and verified, and says so when written to."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.streams_factory import BASIC, write
from tests.support.processes import as_ordinary_user, ledger_command, paused, run_as_ordinary_user


def _run(store_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", store_url, *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite:///led%00ger.db", "holds a NUL character (%00)"),
        ("postgresql://db.example:99999/ledger", "Port out of range 0-65535"),
        ("postgresql://u:secret@[::1/ledger", "Invalid IPv6 URL"),
        ("postgresql://db.example/ledger?schema=pg_catalog", "is PostgreSQL's own"),
        ("postgresql://db.example/ledger?schema=information_schema", "is PostgreSQL's own"),
        ("postgresql://db.example/ledger?schema=PG_toast", "is PostgreSQL's own"),
        ("postgresql://db.example/ledger?schema=" + "s" * 64, "longer than PostgreSQL's 63"),
    ],
)
def test_a_store_url_that_cannot_name_a_store_is_bad_usage(url: str, message: str) -> None:
    """exit 2 with what is wrong; a password in the URL is not repeated."""
    for args in (["verify"], ["import", "-"]):
        code, err = _run(url, *args)
        assert code == 2, err
        assert message in err
        assert "secret" not in err


def test_a_store_file_name_over_255_bytes_is_a_store_error(tmp_path: Path) -> None:
    """The operating system's refusal is the message, exit 3."""
    url = f"sqlite:///{tmp_path / ('x' * 300 + '.db')}"
    for args in (["verify"], ["import", str(write(tmp_path / "in.jsonl", BASIC))]):
        code, err = _run(url, *args)
        assert code == 3, err
        assert "File name too long" in err


def test_the_longest_store_file_name_sqlite_can_use_works(tmp_path: Path) -> None:
    """247 bytes (255 less SQLite's "-journal"): a store like any other, made in new folders;
    a byte more is a store error saying why."""
    name = "x" * 244 + ".db"
    url = f"sqlite:///{tmp_path / 'new' / name}"
    code, err = _run(url, "import", str(write(tmp_path / "in.jsonl", BASIC)))
    assert code == 0, err
    # The store, and files of its own beside it: the lock its read models' catch-up takes
    # (kept, as lock files are), SQLite's -wal and -shm while a connection lingers.
    made = sorted(p.name for p in (tmp_path / "new").iterdir())
    assert made[0] == name
    assert set(made[1:]) <= {name + "-views", name + "-wal", name + "-shm"}, made
    code, err = _run(f"sqlite:///{tmp_path / ('y' + name)}", "verify")
    assert code == 3
    assert "File name too long (at most 247 bytes" in err


def test_a_store_in_a_folder_the_user_cannot_write_is_not_created(tmp_path: Path) -> None:
    """Importing where no file can be made: exit 3 saying the folder is not writable."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    stream = write(tmp_path / "in.jsonl", BASIC)
    done = run_as_ordinary_user(
        ledger_command(f"sqlite:///{folder / 'l.db'}", "import", str(stream))
    )
    assert done.returncode == 3, done.stderr
    assert "its folder is not writable here" in done.stderr
    assert list(folder.iterdir()) == []


@pytest.fixture
def read_only_ledger(tmp_path: Path) -> str:
    """A ledger with its views caught up, then its folder and file made read-only."""
    folder = tmp_path / "archive"
    folder.mkdir()
    url = f"sqlite:///{folder / 'l.db'}"
    assert _run(url, "import", str(write(tmp_path / "in.jsonl", BASIC)))[0] == 0
    (folder / "l.db").chmod(0o444)
    folder.chmod(0o555)
    return url


@pytest.mark.parametrize(
    "args",
    [
        ("verify",),
        ("incidents",),
        ("timeline", "CAD-1"),
        ("findings", "--format", "json"),
        ("export",),
        ("export", "--format", "md"),
    ],
)
def test_a_ledger_in_a_read_only_folder_can_be_read_and_verified(
    read_only_ledger: str, args: tuple[str, ...]
) -> None:
    """Reading needs no write access: verify and the read commands work as usual."""
    done = run_as_ordinary_user(ledger_command(read_only_ledger, *args))
    assert done.returncode == 0, done.stderr


def test_writing_to_a_read_only_ledger_says_it_is_read_only(
    read_only_ledger: str, tmp_path: Path
) -> None:
    """An import is exit 3 saying the store cannot be written here, not "not a ledger"."""
    stream = write(tmp_path / "more.jsonl", [{**item, "id": f"new-{item['id']}"} for item in BASIC])
    done = run_as_ordinary_user(ledger_command(read_only_ledger, "import", str(stream)))
    assert done.returncode == 3, done.stderr
    assert "cannot be written here" in done.stderr
    assert "not a ledger store" not in done.stderr


def test_the_store_tells_whether_it_can_be_written(read_only_ledger: str) -> None:
    """`backend.writable()`: False where the user cannot write, True where they can."""
    probe = (
        "from ledger.store.ledger import Ledger\n"
        f"with Ledger.open({read_only_ledger!r}) as ledger: print(ledger.backend.writable())"
    )
    command = as_ordinary_user([sys.executable, "-c", probe])
    assert subprocess.run(command, capture_output=True, text=True).stdout == "False\n"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout == ("True\n" if os.geteuid() == 0 else "False\n")


def test_a_writer_waits_for_another_at_most_the_lock_timeout(
    store_url: str, tmp_path: Path
) -> None:
    """While one import holds the write lock, another gives up after LEDGER_LOCK_TIMEOUT with
    a message saying the store is busy (exit 3), and writes nothing."""
    assert _run(store_url, "import", str(write(tmp_path / "a.jsonl", BASIC[:2])))[0] == 0
    holding = ledger_command(store_url, "import", str(write(tmp_path / "b.jsonl", BASIC[2:4])))
    with paused(holding, "import.before-commit") as first:
        first.wait_until_there()
        env = {**os.environ, "LEDGER_LOCK_TIMEOUT": "1"}
        late = ledger_command(store_url, "import", str(write(tmp_path / "c.jsonl", BASIC[4:])))
        done = subprocess.run(late, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 3, done.stderr
        assert "is busy" in done.stderr
        assert "LEDGER_LOCK_TIMEOUT" in done.stderr
        assert first.go_on()[0] == 0
    code, err = _run(store_url, "verify")
    assert code == 0, err


def test_an_empty_expected_head_is_bad_usage(tmp_path: Path) -> None:
    """`verify --expect-head ''` is not a head that happens not to match: exit 2."""
    url = f"sqlite:///{tmp_path / 'l.db'}"
    _run(url, "import", str(write(tmp_path / "in.jsonl", BASIC)))
    for head in ("", "abc", "00" * 31):
        code, err = _run(url, "verify", "--expect-head", head)
        assert code == 2, err
        assert "is not a chain head" in err


@pytest.mark.postgres
def test_a_role_that_may_only_read_can_read_and_is_told_it_cannot_write(
    store_url: str, tmp_path: Path
) -> None:
    """PostgreSQL's read-only case: verify and reads work, writable() is False, an import is
    exit 3 saying the store cannot be written here."""
    if not store_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL role")
    import psycopg

    from tests.conftest import POSTGRES

    assert _run(store_url, "import", str(write(tmp_path / "in.jsonl", BASIC)))[0] == 0
    schema, role = store_url.split("?schema=")[1], f"reader_{os.getpid()}"
    with psycopg.connect(POSTGRES.split("?")[0], autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
        conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"')
    base = POSTGRES.split("?")[0].split("://", 1)[1].split("@", 1)[1]
    reader = f"postgresql://{role}@{base}?schema={schema}"
    try:
        for args in (["verify"], ["incidents"], ["findings"], ["export"]):
            code, err = _run(reader, *args)
            assert code == 0, err
        from ledger.store.ledger import Ledger

        with Ledger.open(reader) as ledger:
            assert not ledger.backend.writable()
        with Ledger.open(store_url) as ledger:
            assert ledger.backend.writable()
        more = write(tmp_path / "more.jsonl", [{**item, "id": f"n-{item['id']}"} for item in BASIC])
        code, err = _run(reader, "import", str(more))
        assert code == 3, err
        assert "cannot be written here" in err
    finally:
        with psycopg.connect(POSTGRES.split("?")[0], autocommit=True) as conn:
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')
