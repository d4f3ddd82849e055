"""What the strings of an event may hold (stream.md, validation round 2).

Any string, object keys included: no control character (U+0000-U+001F, U+007F-U+009F) other
than tab and newline. An identifier (an event's id, or what names an incident, call, unit,
radio message or plan) holds no control character at all, no line or paragraph separator
(U+2028, U+2029) and no bidirectional override (U+202A-U+202E, U+2066-U+2069): characters that
make two references look alike, or a listing show other than it holds.

Identifiers, and the strings the ledger files in its reference index (a caller's name and
phone, a location's address, a marker's subject), are at most 200 characters. Ids are so by
the contract; the others are so that every backend can index them (PostgreSQL cannot index a
key of a few kilobytes), and SQLite and PostgreSQL accept and refuse exactly the same lines.
"""

from __future__ import annotations

import re
from typing import Any

MAX_INDEXED = 200  # characters, for identifiers and indexed strings alike (the event models)

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NOT_IN_IDENTIFIERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


def string_problem(text: str) -> str | None:
    """Why `text` cannot be a string of an event; None when it can."""
    found = CONTROL.search(text)
    if found is not None:
        return (
            f"holds the control character {_code(found.group())}: "
            "only tab and newline are allowed in text"
        )
    surrogate = _SURROGATE.search(text)
    if surrogate is not None:
        return f"holds {_code(surrogate.group())}, half of a surrogate pair: not a character"
    return None


def identifier_problem(value: Any) -> str | None:
    """Why `value` cannot name anything; None when it can (its length is the model's)."""
    found = _NOT_IN_IDENTIFIERS.search(value) if isinstance(value, str) else None
    if found is None:
        return None
    return (
        f"holds {_code(found.group())}: an identifier may not hold control characters, "
        "line or paragraph separators or bidirectional overrides"
    )
