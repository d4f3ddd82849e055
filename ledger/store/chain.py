"""The canonical form of an event and the SHA-256 chain over the ledger's append order.

An event is stored, hashed and exported as one canonical line: its JSON object exactly as
given (no field added or normalised), keys sorted, no insignificant white space, UTF-8. Each
event's chain hash is SHA-256(previous hash || canonical line), so anyone holding an export
can recompute the chain head without the ledger.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import orjson

GENESIS = bytes(32)


def canonical(obj: dict[str, Any]) -> bytes:
    """The one byte form an event is stored, hashed and exported in."""
    try:
        return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        # orjson refuses integers beyond 64 bits; the standard library writes them exactly.
        return json.dumps(
            obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        ).encode()


def parse(line: bytes) -> Any:
    """Parse JSON, falling back to the standard library for what orjson refuses."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line)


def link(previous: bytes, line: bytes) -> bytes:
    """The chain hash of `line` appended after an event whose hash is `previous`."""
    return hashlib.sha256(previous + line).digest()


def head_of(lines: Any) -> tuple[int, bytes]:
    """Fold an iterable of canonical lines into (count, chain head)."""
    count, head = 0, GENESIS
    for line in lines:
        head = link(head, line)
        count += 1
    return count, head
