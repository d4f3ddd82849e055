"""A progress bar on standard error for large imports, only when it is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from types import TracebackType
from typing import IO, Any

LARGE = 20 * 1024 * 1024  # below this an import is over before a bar would help
EVERY = 2000  # lines between bar updates: drawing per line would cost more than importing


class ByteProgress:
    """Counts bytes read from the raw (possibly compressed) files against their total size."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar: Any = None
        self.task: Any = None
        self.done = 0

    def __enter__(self) -> ByteProgress:
        if self.total >= LARGE and sys.stderr.isatty():
            from rich.progress import (
                BarColumn,
                DownloadColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("importing"),
                BarColumn(),
                DownloadColumn(),
                TimeRemainingColumn(),
                transient=True,
            )
            self.bar.__enter__()
            self.task = self.bar.add_task("import", total=self.total)
        return self

    def track(self, stream: IO[bytes], raw: IO[bytes]) -> Iterator[bytes]:
        if self.bar is None:
            yield from stream
            return
        base = self.done
        for count, line in enumerate(stream):
            if count % EVERY == 0:
                self.bar.update(self.task, completed=base + raw.tell())
            yield line
        self.done = base + raw.tell()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.bar is not None:
            self.bar.__exit__(kind, value, tb)
