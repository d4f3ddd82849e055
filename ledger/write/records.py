"""What an import reads: numbered records from a file, each an event object or a problem.

Every reader (JSONL streams, CAD CSV exports) yields these, so one import pipeline gives them
all the same guarantees: all or nothing, every problem reported as `FILE:LINE: field: reason`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One event as read: raw JSON bytes (a stream line) or an already-built object (CSV)."""

    origin: str
    line: int
    payload: bytes | dict[str, Any]


@dataclass(frozen=True, slots=True)
class Problem:
    """Why one record cannot be imported. `field` is a dotted path, or "" for the whole line."""

    origin: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.origin}:{self.line}"
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"
