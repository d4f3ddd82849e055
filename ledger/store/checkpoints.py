"""Signed checkpoints: what the ledger held at a moment, signed, kept append-only beside it.

A checkpoint's statement says how many events the ledger held, their chain head and the root
of the Merkle tree over them (ledger.store.merkle), when, which key signed, and the hash of the
checkpoint before it; the Ed25519 signature covers the statement's exact bytes (JSON, keys
sorted, no spaces). Checkpoints are rows of their own table, guarded against UPDATE and DELETE
(and TRUNCATE on PostgreSQL) like the events; the table is made by the first checkpoint, so a
store written before checkpoints existed opens and reads as before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ledger.errors import UsageError
from ledger.keys import PublicKey, Signer
from ledger.store.backend import IMMUTABLE_MESSAGE
from ledger.store.ledger import Ledger

CHECKPOINTS_TABLE = "ledger_checkpoints"
STATEMENT_VERSION = 1


@dataclass(frozen=True)
class Checkpoint:
    number: int
    events: int
    chain_head: bytes
    merkle_root: bytes
    at: str  # ISO 8601, UTC
    key: str  # the signing key's id (ledger.keys.key_id)
    previous: str | None  # SHA-256 of the previous checkpoint's statement, hex
    signature: bytes = b""

    def statement(self) -> bytes:
        """The bytes the signature covers."""
        body = {
            "version": STATEMENT_VERSION,
            "number": self.number,
            "events": self.events,
            "chain_head": self.chain_head.hex(),
            "merkle_root": self.merkle_root.hex(),
            "at": self.at,
            "key": self.key,
            "previous": self.previous,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def digest(self) -> str:
        return hashlib.sha256(self.statement()).hexdigest()

    def signed_by(self, key: PublicKey) -> bool:
        return key.verifies(self.signature, self.statement())

    def as_json(self) -> dict[str, Any]:
        """The checkpoint as printed and carried in bundles: the statement and its signature."""
        return {**json.loads(self.statement()), "signature": self.signature.hex()}


def sign(signer: Signer, number: int, events: int, head: bytes, root: bytes, at: str,
         previous: Checkpoint | None) -> Checkpoint:  # fmt: skip
    unsigned = Checkpoint(
        number, events, head, root, at, signer.id, previous.digest() if previous else None
    )
    return Checkpoint(**{**unsigned.__dict__, "signature": signer.sign(unsigned.statement())})


def from_json(body: Any) -> Checkpoint:
    """A checkpoint as `as_json` wrote it (from a bundle or a file); UsageError if malformed."""
    try:
        if int(body["version"]) != STATEMENT_VERSION:
            raise UsageError(f"checkpoint version {body['version']} is not one this tool knows")
        return Checkpoint(
            number=int(body["number"]),
            events=int(body["events"]),
            chain_head=bytes.fromhex(body["chain_head"]),
            merkle_root=bytes.fromhex(body["merkle_root"]),
            at=str(body["at"]),
            key=str(body["key"]),
            previous=None if body["previous"] is None else str(body["previous"]),
            signature=bytes.fromhex(body["signature"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise UsageError(f"not a checkpoint: {error!r}") from error


def _field(row: Any, index: int, name: str) -> Any:
    """A column of a row, whichever kind of row the cursor gives (tuple, sqlite3.Row, dict)."""
    return row[index] if isinstance(row, tuple) else row[name]


def _from_row(statement: bytes, signature: bytes) -> Checkpoint:
    return from_json({**json.loads(bytes(statement)), "signature": bytes(signature).hex()})


class _Dialect:
    """The few statements that differ between SQLite and PostgreSQL."""

    def __init__(self, ledger: Ledger) -> None:
        from ledger.store.sqlite import SQLiteBackend

        self.sqlite = isinstance(ledger.backend, SQLiteBackend)
        self.mark = "?" if self.sqlite else "%s"

    def exists(self, cursor: Any) -> bool:
        if self.sqlite:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                (CHECKPOINTS_TABLE,),
            )
            return cursor.fetchone() is not None
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL AS present", (CHECKPOINTS_TABLE,))
        return bool(cursor.fetchone()["present"])  # search_path is the ledger's schema

    def create(self, cursor: Any) -> None:
        blob = "BLOB" if self.sqlite else "bytea"
        cursor.execute(
            f"CREATE TABLE {CHECKPOINTS_TABLE} (number BIGINT PRIMARY KEY, "
            f"statement {blob} NOT NULL, signature {blob} NOT NULL)"
        )
        if self.sqlite:
            for action in ("UPDATE", "DELETE"):
                cursor.execute(
                    f"CREATE TRIGGER {CHECKPOINTS_TABLE}_no_{action.lower()} "
                    f"BEFORE {action} ON {CHECKPOINTS_TABLE} "
                    f"BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}'); END"
                )
            return
        # The guard function every ledger schema has (ledger.store.postgres_rows).
        for name, when, level in (
            ("immutable", "UPDATE OR DELETE", "ROW"),
            ("no_truncate", "TRUNCATE", "STATEMENT"),
        ):
            cursor.execute(
                f"CREATE TRIGGER {CHECKPOINTS_TABLE}_{name} BEFORE {when} ON {CHECKPOINTS_TABLE} "
                f"FOR EACH {level} EXECUTE FUNCTION ledger_refuse_change()"
            )


def stored(ledger: Ledger) -> list[Checkpoint]:
    """Every checkpoint the ledger holds, oldest first (none in a store that never made one)."""
    dialect = _Dialect(ledger)
    with ledger.backend.reader() as cursor:
        if not dialect.exists(cursor):
            return []
        cursor.execute(
            f"SELECT number, statement, signature FROM {CHECKPOINTS_TABLE} ORDER BY number"
        )
        rows = cursor.fetchall()
    found = [_from_row(bytes(row["statement"]), bytes(row["signature"])) for row in rows]
    for row, checkpoint in zip(rows, found, strict=True):
        if int(row["number"]) != checkpoint.number:
            raise UsageError(  # a row whose key and statement disagree: put there by hand
                f"checkpoint row {row['number']} holds the statement of #{checkpoint.number}"
            )
    return found


def latest(ledger: Ledger) -> Checkpoint | None:
    found = stored(ledger)
    return found[-1] if found else None


@dataclass
class Appending:
    """The last checkpoint and chain head as the write transaction sees them, and the insert."""

    cursor: Any
    dialect: _Dialect
    last: Checkpoint | None

    def chain_hash_at(self, seq: int) -> bytes | None:
        from ledger.store.backend import CHAIN_TABLE

        self.cursor.execute(
            f"SELECT hash FROM {CHAIN_TABLE} WHERE seq = {self.dialect.mark}", (seq,)
        )
        row = self.cursor.fetchone()
        return None if row is None else bytes(_field(row, 0, "hash"))

    def append(self, checkpoint: Checkpoint) -> None:
        mark = self.dialect.mark
        self.cursor.execute(
            f"INSERT INTO {CHECKPOINTS_TABLE} (number, statement, signature) "
            f"VALUES ({mark}, {mark}, {mark})",
            (checkpoint.number, checkpoint.statement(), checkpoint.signature),
        )


@contextmanager
def appending(ledger: Ledger) -> Iterator[Appending]:
    """A write transaction holding the ledger's write lock, its checkpoints table made."""
    dialect = _Dialect(ledger)
    with ledger.backend.writing() as session:
        # Both backends' write sessions carry their cursor; the protocol does not name it.
        cursor = session.cursor  # type: ignore[attr-defined]
        last = None
        if not dialect.exists(cursor):
            dialect.create(cursor)
        else:
            cursor.execute(
                f"SELECT statement, signature FROM {CHECKPOINTS_TABLE} ORDER BY number DESC LIMIT 1"
            )
            row = cursor.fetchone()
            if row is not None:
                last = _from_row(_field(row, 0, "statement"), _field(row, 1, "signature"))
        yield Appending(cursor, dialect, last)
