"""`--format jsonl`: the canonical stream, every chosen event as stored, in append order.

Unredacted, the bytes are the stored canonical lines themselves, so `ledger import` takes them
back unchanged and the chain over a whole-ledger export recomputes to the ledger's head.
Redacted, each line is parsed, redacted and written again in the same canonical form.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ledger.store.backend import StoredLine
from ledger.store.chain import canonical, parse
from projections.exports.redact import Redactor


def jsonl_lines(lines: Iterable[StoredLine], redactor: Redactor | None = None) -> Iterator[bytes]:
    for stored in lines:
        if redactor is None:
            yield stored.line + b"\n"
        else:
            yield canonical(redactor.json(parse(stored.line))) + b"\n"


def render_jsonl(lines: Iterable[StoredLine], redactor: Redactor | None = None) -> bytes:
    return b"".join(jsonl_lines(lines, redactor))
