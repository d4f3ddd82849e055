"""The JSON Lines input adapter: numbered records from a stream file, plain or gzip.

A stream that cannot be read to its end (a truncated or corrupt gzip file, a read error) is
not a crash: its last record is a `Problem` naming the line where reading stopped, so the
import refuses it whole like any other bad input.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from ledger.errors import UsageError
from ledger.write.records import Problem, RawRecord

BOM = b"\xef\xbb\xbf"  # stream.md: a byte-order mark at the start of a file is skipped
GZIP_MAGIC = b"\x1f\x8b"


def read_jsonl(stream: Iterable[bytes], origin: str) -> Iterator[RawRecord | Problem]:
    """Numbered non-blank lines of a JSON Lines stream; a Problem where reading failed."""
    number = 0
    try:
        for number, line in enumerate(stream, start=1):
            if number == 1 and line.startswith(BOM):
                line = line[len(BOM) :]
            if line.strip():
                yield RawRecord(origin, number, line)
    except (EOFError, OSError, zlib.error) as error:
        # gzip says EOFError for a truncated file, BadGzipFile (an OSError) for a corrupt one.
        yield Problem(origin, number + 1, "", f"cannot be read: {_reading_problem(error)}")


def _reading_problem(error: BaseException) -> str:
    if isinstance(error, EOFError):
        return "the compressed file is truncated (it ends before its end-of-stream marker)"
    if isinstance(error, gzip.BadGzipFile | zlib.error):
        return f"the compressed file is corrupt ({error})"
    return str(error)


def open_stream(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """(lines to read, the raw file under them): gzip is recognised by its first bytes.

    Anything readable will do (a pipe, `/dev/null`); a file that cannot be opened is a
    UsageError saying why.
    """
    try:
        if path.is_dir():
            raise UsageError(f"{path}: is a directory, not a stream file")
        raw = path.open("rb")
    except OSError as error:
        reason = "no such file" if isinstance(error, FileNotFoundError) else error.strerror
        raise UsageError(f"{path}: cannot be read: {reason or error}") from None
    try:
        magic = raw.peek(2)[:2]  # peek, not read and seek: a pipe cannot seek
    except OSError as error:
        raw.close()
        raise UsageError(f"{path}: cannot be read: {error.strerror or error}") from None
    if magic == GZIP_MAGIC:
        return gzip.GzipFile(fileobj=raw, mode="rb"), raw  # type: ignore[return-value]
    return raw, raw
