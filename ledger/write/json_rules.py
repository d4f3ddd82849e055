"""The JSON a stream line may hold (stream.md, validation round 2), checked before the models.

Everything in an event must survive a round trip exactly and be storable by every backend:
no number that is not finite (`NaN`, `Infinity`, `1e400`), no integer outside ±2^53 (a double
holds no more exactly), no nesting deeper than 64, and no string (object keys included) with a
control character other than tab and newline, or half a surrogate pair.

orjson parses a line in C and refuses some of these itself. Only a line it refuses, or whose
bytes could break a rule it lets through (a run of 16 digits, the escape or bytes of a control
character, many brackets), is parsed again in Python and walked; the test for that is a few
searches of the line's bytes, so ordinary lines cost almost nothing more.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

import orjson

from ledger.text import string_problem

MAX_DEPTH = 64
MAX_INTEGER = 2**53

# Escapes of control characters, and DEL as it is.
_CONTROLS = re.compile(rb"\\(?:u00(?:[01]|7[fF]|[89])|[bfr])|\x7f")
_C1 = re.compile(rb"\xc2[\x80-\x9f]")  # U+0080-U+009F in UTF-8
# One pass makes every digit 0, every opening bracket [ and DEL a backslash: then a few
# single searches tell whether a line needs a closer look.
_SHAPE = bytes.maketrans(b"123456789{\x7f", b"000000000[\\")
_SIXTEEN_DIGITS = b"0" * 16  # any integer beyond ±2^53 has at least 16
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[{\]}]')

Found = list[tuple[str, str]]  # (field path, what is wrong)


class _Refused:
    """A number the rules refuse, left in the parsed value where it stood."""

    def __init__(self, text: str, reason: str) -> None:
        self.reason = f"{text[:40]} {reason}"


def _constant(text: str) -> _Refused:
    return _Refused(text, "is not a finite number")


def _float(text: str) -> float | _Refused:
    value = float(text)
    if math.isfinite(value):
        return value
    return _Refused(text, "is not a finite number (it overflows a double)")


def _integer(text: str) -> int | _Refused:
    value = int(text)
    if -MAX_INTEGER <= value <= MAX_INTEGER:
        return value
    return _Refused(text, "is outside ±2^53: it cannot be kept exactly")


class Parsed(NamedTuple):
    value: Any  # None when the line is not JSON at all: the event models then say why
    found: Found  # what breaks the rules ([] for nothing)
    plain: bool  # printable ASCII without escapes: no character in it can break a rule


def parse_line(line: bytes) -> Parsed:
    """The line's JSON value, what breaks the rules in it, and whether it is plain text.

    The test for a closer look is one pass over the bytes (every digit made 0, every opening
    bracket [, DEL a backslash) and a few searches, all in C. orjson itself refuses `NaN`,
    numbers that overflow a double and nesting past 1024; it lets through integers it can
    turn into a float, a deep but not too deep nesting, and control characters JSON allows.
    """
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return _careful(line)
    shape = line.translate(_SHAPE)
    ascii_only = line.isascii()
    escapes = b"\\" in shape
    if (
        (escapes and _CONTROLS.search(line))
        or (not ascii_only and _C1.search(line))
        or shape.count(b"[") > MAX_DEPTH
        or _SIXTEEN_DIGITS in shape
    ):
        return _careful(line)
    return Parsed(value, [], ascii_only and not escapes)


def check_value(value: Any) -> Found:
    """What breaks the rules in a value built in Python (a CSV row's event)."""
    return list(_walk(value, "", 1))


def _careful(line: bytes) -> Parsed:
    depth = _depth(line)
    if depth > MAX_DEPTH:
        return Parsed(
            None, [("", f"nested {depth} levels deep: at most {MAX_DEPTH} are allowed")], False
        )
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        return Parsed(None, [("", f"not UTF-8: {error.reason} at byte {error.start}")], False)
    try:
        value = json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_integer)
    except ValueError:  # not JSON: the models' parser words that
        return Parsed(None, [], False)
    return Parsed(value, list(_walk(value, "", 1)), False)


def _depth(line: bytes) -> int:
    depth = deepest = 0
    for token in _TOKENS.finditer(line):
        mark = token.group()
        if mark in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif mark in (b"]", b"}"):
            depth -= 1
    return deepest


def _walk(value: Any, path: str, depth: int) -> Iterator[tuple[str, str]]:
    if isinstance(value, _Refused):
        yield path, value.reason
    elif isinstance(value, str):
        problem = string_problem(value)
        if problem is not None:
            yield path, problem
    elif isinstance(value, float) and not math.isfinite(value):
        yield path, f"{value} is not a finite number"
    elif isinstance(value, int) and not isinstance(value, bool):
        if not -MAX_INTEGER <= value <= MAX_INTEGER:
            yield path, f"{str(value)[:40]} is outside ±2^53: it cannot be kept exactly"
    elif isinstance(value, dict | list):
        if depth > MAX_DEPTH:
            yield path, f"nested more than {MAX_DEPTH} levels deep"
            return
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            problem = string_problem(key) if isinstance(key, str) else None
            name = str(key) if problem is None else ascii(key)[1:-1]  # shown, not obeyed
            where = f"{path}.{name}" if path else name
            if problem is not None:
                yield where, f"the key {problem}"
            yield from _walk(item, where, depth + 1)
