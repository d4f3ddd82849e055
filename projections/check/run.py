"""Findings of recorded streams, from a store made for the purpose (never the user's ledger)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from ledger.errors import UsageError
from ledger.inputs.jsonl import open_stream, read_jsonl
from ledger.store.ledger import Ledger
from ledger.write.importer import import_records
from ledger.write.records import Problem, RawRecord
from projections.analysis.findings import Finding
from projections.analysis.view import View
from projections.query import findings


@contextmanager
def throwaway_store() -> Iterator[str]:
    """The URL of an SQLite ledger in a temporary folder, removed with everything in it."""
    with tempfile.TemporaryDirectory(prefix="ledger-check-") as folder:
        yield f"sqlite:///{Path(folder) / 'check.db'}"


def findings_of_streams(url: str, streams: Sequence[Path], view: View) -> list[Finding]:
    """Import the streams into the store at `url` as one import (all or nothing: InvalidInput
    lists every bad line as FILE:LINE) and return the findings of the whole ledger in `view`.
    The store should be new: whatever it already holds counts too."""
    with ExitStack() as stack:
        opened: list[tuple[IO[bytes], str]] = []
        for path in streams:
            try:
                lines, raw = open_stream(path)
            except OSError as error:
                raise UsageError(f"{path}: cannot read it: {error.strerror}") from None
            stack.enter_context(raw)
            opened.append((lines, str(path)))

        def records() -> Iterator[RawRecord | Problem]:
            for lines, origin in opened:
                yield from read_jsonl(lines, origin)

        ledger = stack.enter_context(Ledger.open(url, must_exist=False))
        import_records(ledger, records())
        return findings(ledger, view)
