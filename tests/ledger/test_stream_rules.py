"""Validation round 2 (stream.md): what the ledger could not compute with or keep exactly is
refused at import as FILE:LINE: field: reason, exit 2, nothing written; both backends accept
and refuse exactly the same lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from ledger.store.ledger import Ledger
from ledger.write.records import RawRecord
from ledger.write.validation import validate
from tests.streams_factory import BASIC, event, write

CALL = event("r-1", "CallReceived", "2018-06-01T00:00:00Z", incident="R", call="C", channel="999")
PLAN = event(
    "r-2",
    "FollowUpPlanned",
    "2018-06-01T00:00:00Z",
    incident="R",
    plan="P",
    action="call back",
    due="2018-06-02T00:00:00Z",
)
GRADE = event("r-3", "IncidentGraded", "2018-06-01T00:00:00Z", incident="R", grade="S")
MARKER = event(
    "r-4",
    "MarkerAdded",
    "2018-06-01T00:00:00Z",
    subject={"kind": "phone", "key": "07700 900123"},
    marker="m",
)


def _line(base: dict[str, Any], **changes: Any) -> bytes:
    return json.dumps({**base, **changes}).encode()


def _raw(base: dict[str, Any], field: str, raw_value: str) -> bytes:
    """The event with `field` written as the given raw JSON text (NaN, huge numbers, …)."""
    return json.dumps({**base, field: "@@"}).encode().replace(b'"@@"', raw_value.encode())


REFUSED: dict[str, tuple[bytes, str, str]] = {
    # name: (line, field, part of the reason)
    "year 1 with a positive offset": (
        _line(CALL, at="0001-01-01T00:30:00+01:00"),
        "at",
        "outside years 0001-9999",
    ),
    "year 9999 with a negative offset": (
        _line(CALL, at="9999-12-31T23:59:59-01:00"),
        "at",
        "outside years 0001-9999",
    ),
    "recorded_at past the calendar": (
        _line(CALL, recorded_at="9999-12-31T23:30:00-00:45"),
        "recorded_at",
        "outside years 0001-9999",
    ),
    "due at the calendar's edge": (
        _line(PLAN, due="9999-12-31T23:59:59-00:01"),
        "due",
        "outside years 0001-9999",
    ),
    "review_by before the calendar": (
        _line(MARKER, review_by="0001-01-01T00:00:00+00:01"),
        "review_by",
        "outside years 0001-9999",
    ),
    "target of 99999999 days": (
        _line(GRADE, target="P99999999D"),
        "target",
        "longer than the 9999 years",
    ),
    "target too long to even count": (
        _line(GRADE, target="PT" + "9" * 400 + "S"),
        "target",
        "longer than the 9999 years",
    ),
    "a Unix time for a time": (_line(CALL, at="1527807600"), "at", "is not a time: write RFC 3339"),
    "an offset without a colon": (
        _line(CALL, at="2018-06-01T00:00:00+0100"),
        "at",
        "is not a time: write RFC 3339",
    ),
    "underscore for T": (
        _line(CALL, at="2018-06-01_00:00:00Z"),
        "at",
        "is not a time: write RFC 3339",
    ),
    "a space for T": (
        _line(CALL, at="2018-06-01 00:00:00Z"),
        "at",
        "is not a time: write RFC 3339",
    ),
    "no seconds": (_line(CALL, at="2018-06-01T00:00Z"), "at", "is not a time: write RFC 3339"),
    "a number for a time": (_line(CALL, at=1527807600), "at", ""),
    "a list for a type": (_line(CALL, type=[]), "type", ""),
    "an object for a type": (_line(CALL, type={"a": 1}), "type", ""),
    "NaN": (_raw(CALL, "x", "NaN"), "x", "NaN is not a finite number"),
    "Infinity": (_raw(CALL, "x", "[1, -Infinity]"), "x.1", "-Infinity is not a finite number"),
    "a number that overflows a double": (_raw(CALL, "x", "1e400"), "x", "not a finite number"),
    "an integer beyond 2^53": (
        _raw(CALL, "x", "9007199254740993"),
        "x",
        "is outside ±2^53",
    ),
    "an integer beyond 64 bits, nested": (
        _raw(CALL, "caller", '{"name": "A", "ref": -18446744073709551617}'),
        "caller.ref",
        "is outside ±2^53",
    ),
    "nesting deeper than 64": (
        _raw(CALL, "x", "[" * 64 + "]" * 64),
        "",
        "nested 65 levels deep: at most 64",
    ),
    "nesting a hundred thousand deep": (
        _raw(CALL, "x", "[" * 100_000 + "]" * 100_000),
        "",
        "at most 64",
    ),
    "NUL in a note": (_line(CALL, note="a\u0000b"), "note", "control character U+0000"),
    "escape in a summary": (_line(CALL, summary="\u001b[31m"), "summary", "U+001B"),
    "a carriage return in a note": (_line(CALL, note="a\r\nb"), "note", "U+000D"),
    "a C1 control in an unknown field": (_line(CALL, x={"y": "\u0085"}), "x.y", "U+0085"),
    "DEL as written": (_line(CALL, note="a\u007fb", extra=1), "note", "U+007F"),
    "a control character in a key": (_line(CALL, x={"a\u0000": 1}), "x.a\\x00", "the key"),
    "half a surrogate pair": (_raw(CALL, "note", '"\\ud800"'), "note", "surrogate"),
    "a tab in an incident": (_line(CALL, incident="CAD\t1"), "incident", "U+0009"),
    "a newline in a call": (_line(CALL, call="C\n1"), "call", "U+000A"),
    "a line separator in a unit": (
        _line(event("r-5", "UnitAllocated", "2018-06-01T00:00:00Z", incident="R"), unit="K\u2028"),
        "unit",
        "U+2028",
    ),
    "a bidirectional override in an id": (_line(CALL, id="r-\u202e1"), "id", "U+202E"),
    "an isolate in a radio message id": (
        _line(event("r-6", "RadioAcknowledged", "2018-06-01T00:00:00Z"), transmission="\u2066T1"),
        "transmission",
        "U+2066",
    ),
    "NUL in an incident": (_line(CALL, incident="A\u0000"), "incident", "U+0000"),
    "an incident of a megabyte": (
        _line(CALL, incident="X" * 1_000_000),
        "incident",
        "at most 200 characters",
    ),
    "an incident of 201 characters": (
        _line(CALL, incident="é" * 201),
        "incident",
        "at most 200 characters",
    ),
    "a caller's phone of 201 characters": (
        _line(CALL, caller={"phone": "0" * 201}),
        "caller.phone",
        "at most 200 characters",
    ),
    "a marker subject of 201 characters": (
        _line(MARKER, subject={"kind": "premises", "key": "x" * 201}),
        "subject.key",
        "at most 200 characters",
    ),
}


def _import(store_url: str, path: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--store", store_url, "import", *options, str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stderr


def _events(store_url: str) -> list[bytes]:
    with Ledger.open(store_url) as ledger:
        return [stored.line for stored in ledger.lines()]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_line_the_ledger_cannot_keep_exactly_is_refused_whole(
    store_url: str, tmp_path: Path, name: str
) -> None:
    """Each case is FILE:LINE: field: reason, exit 2, and the ledger is left as it was."""
    line, field, reason = REFUSED[name]
    _import(store_url, write(tmp_path / "first.jsonl", BASIC))
    before = _events(store_url)
    stream = tmp_path / "in.jsonl"
    stream.write_bytes(json.dumps(BASIC[0]).encode() + b"\n" + line + b"\n")
    code, err = _import(store_url, stream)
    assert code == 2, err
    where = f"{stream}:2: {field}: " if field else f"{stream}:2: "
    problem = next((row for row in err.splitlines() if row.startswith(where)), None)
    assert problem is not None, err
    assert reason in problem
    assert "Traceback" not in err
    assert _events(store_url) == before


ACCEPTED: dict[str, bytes] = {
    "the calendar's last second in UTC": _line(CALL, at="9999-12-31T23:59:59Z"),
    "the calendar's first day, offset west": _line(CALL, at="0001-01-01T00:00:00-00:59"),
    "lower-case t and z": _line(CALL, at="2018-06-01t00:00:00z"),
    "a fraction of a second": _line(CALL, at="2018-06-01T00:00:00.123456789+05:30"),
    "the longest target": _line(GRADE, target="P3652058D"),
    "2^53 exactly": _raw(CALL, "x", "-9007199254740992"),
    "nesting 64 deep": _raw(CALL, "x", "[" * 63 + "]" * 63),
    "tab and newline in text": _line(CALL, note="a\tb\nc"),
    "separators and overrides in free text": _line(CALL, summary="\u2028 \u202e \u2066"),
    "an id of 200 characters": _line(CALL, id="é" * 200),
    "an escaped character that is not a control": _raw(CALL, "note", '"caf\\u00e9 \\u00a3"'),
    "a tiny number": _raw(CALL, "x", "1e-400"),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_a_line_at_the_edge_of_the_rules_is_accepted_and_exported_back(
    store_url: str, tmp_path: Path, name: str
) -> None:
    """What the rules allow imports, and its export imports again to the same bytes."""
    stream = tmp_path / "in.jsonl"
    stream.write_bytes(ACCEPTED[name] + b"\n")
    code, err = _import(store_url, stream, "--no-views")
    assert code == 0, err
    exported = tmp_path / "out.jsonl"
    exported.write_bytes(b"".join(line + b"\n" for line in _events(store_url)))
    again = f"sqlite:///{tmp_path / 'again.db'}"
    assert _import(again, exported, "--no-views")[0] == 0
    assert _events(again) == _events(store_url)


def test_a_byte_order_mark_is_skipped_only_at_the_start(store_url: str, tmp_path: Path) -> None:
    """A mark before the first line is allowed; one before a later line is not JSON."""
    stream = tmp_path / "in.jsonl"
    body = [json.dumps(item).encode() for item in BASIC[:2]]
    stream.write_bytes(b"\xef\xbb\xbf" + body[0] + b"\n\xef\xbb\xbf" + body[1] + b"\n")
    code, err = _import(store_url, stream)
    assert code == 2
    assert err.startswith(f"{stream}:2: not JSON")


def test_a_correction_into_what_the_rules_refuse_is_refused(store_url: str, tmp_path: Path) -> None:
    """The corrected event must pass the same rules: a due moved off the calendar is refused."""
    fix = event(
        "r-9",
        "EventCorrected",
        "2018-06-03T00:00:00Z",
        corrects="r-2",
        changes={"due": "9999-12-31T23:59:59-00:01"},
        reason="typo",
    )
    stream = write(tmp_path / "in.jsonl", [CALL, PLAN, fix])
    code, err = _import(store_url, stream)
    assert code == 2, err
    assert err.startswith(f"{stream}:3: changes.due: 9999-12-31T23:59:59-00:01 is outside")


def test_an_event_built_from_a_csv_row_obeys_the_same_rules() -> None:
    """A row's event (built in Python, not parsed) is checked as a stream line is."""
    built = {**CALL, "location": {"lat": float("nan")}, "note": "a\u0000", "incident": "A\tB"}
    problems = validate(RawRecord("calls.csv", 7, built))
    assert isinstance(problems, list)
    assert [(p.line, p.field) for p in problems] == [(7, "location.lat"), (7, "note")]
    fixed = {**built, "location": {"lat": 51.5}, "note": "ok"}
    problems = validate(RawRecord("calls.csv", 7, fixed))
    assert isinstance(problems, list)
    assert [str(p) for p in problems] == [
        "calls.csv:7: incident: holds U+0009: an identifier may not hold control characters, "
        "line or paragraph separators or bidirectional overrides"
    ]
