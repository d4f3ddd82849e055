"""Hypothesis strategies that break a valid event line, the ways evidence arrives broken: a
field of the wrong kind or missing, times in forms RFC 3339 does not have or off the calendar,
numbers JSON cannot keep, deep nesting, characters identifiers may not hold, bytes garbled."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

PLACEHOLDER = '"\\u0000placeholder\\u0000"'

# Values written as raw JSON text: what a Python value cannot say, or says differently.
RAW = st.sampled_from(
    [
        "NaN",
        "-Infinity",
        "1e400",
        "-1e309",
        "9007199254740993",
        "-18446744073709551617",
        "123456789012345678901234567890",
        "[" * 65 + "]" * 65,
        "[" * 64 + "]" * 64,
        "[" * 3000 + "]" * 3000,
        '{"a":' * 70 + "1" + "}" * 70,
        '"\\ud800"',
        '"a\\u0000b"',
        '"\\u001b[31m"',
        '"\\u0085"',
        '"caf\\u00e9"',
        "1e-400",
        "9007199254740992",
        "true",
        "null",
    ]
)
BAD_TIMES = st.sampled_from(
    [
        "1527807600",
        "2018-06-01T00:00:00+0100",
        "2018-06-01_00:00:00Z",
        "2018-06-01 00:00:00Z",
        "2018-06-01T00:00:00",
        "2018-06-01",
        "2018-02-30T00:00:00Z",
        "2018-06-01T24:00:00Z",
        "2018-06-01T23:59:60Z",
        "0001-01-01T00:30:00+01:00",
        "9999-12-31T23:59:59-00:01",
        "10000-01-01T00:00:00Z",
        "0000-12-31T23:00:00-02:00",
        "2018-06-01T00:00:00+24:00",
        "",
    ]
)
ODD_STRINGS = st.sampled_from(
    [
        "",
        " ",
        "a\tb",
        "a\nb",
        "a\rb",
        "\u2028",
        "x\u202ey",
        "\u2066x",
        "\x7f",
        "\u0085",
        "é" * 201,
        "K" * 10_000,
        "P99999999D",
        "P3652059D",
        "PT" + "9" * 50 + "S",
        "P1Y",
        "#",
    ]
)
WRONG_KINDS = st.sampled_from([None, 0, -1, 1.5, True, [], {}, ["x"], {"k": "v"}])


def raw_line(event: dict[str, Any], path: list[str], raw: str) -> bytes:
    """The event as a line, with the value at `path` written as the raw JSON text `raw`."""
    holder: dict[str, Any] = json.loads(json.dumps(event))
    target = holder
    if len(path) == 2:  # one level down, making the object if it is not one
        if not isinstance(holder.get(path[0]), dict):
            holder[path[0]] = {}
        target = holder[path[0]]
    target[path[-1]] = "\u0000placeholder\u0000"
    return json.dumps(holder).replace(PLACEHOLDER, raw).encode()


@st.composite
def broken(draw: st.DrawFn, event: dict[str, Any]) -> bytes:
    """`event` as a line, broken one way or another (it may happen to stay valid)."""
    keys = sorted(event)
    key = draw(st.sampled_from([*keys, "caller", "extra"]))
    how = draw(st.integers(0, 7))
    if how == 0:
        return raw_line(event, [key], draw(RAW))
    if how == 1:
        return json.dumps({**event, key: draw(BAD_TIMES)}).encode()
    if how == 2:
        return json.dumps({**event, key: draw(ODD_STRINGS)}).encode()
    if how == 3:
        return json.dumps({**event, key: draw(WRONG_KINDS)}).encode()
    if how == 4:
        return json.dumps({k: v for k, v in event.items() if k != key}).encode()
    if how == 5:
        return raw_line(event, ["caller", "ref"], draw(RAW))
    line = bytearray(json.dumps(event, ensure_ascii=draw(st.booleans())).encode())
    at = draw(st.integers(0, len(line) - 1))
    if how == 6:
        del line[at]
    else:
        line.insert(at, draw(st.integers(0, 255)))
    return bytes(line).replace(b"\n", b" ")
