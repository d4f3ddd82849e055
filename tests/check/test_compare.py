"""Pairing expected findings with found ones: what counts as the same finding, and as a change."""

from __future__ import annotations

from datetime import datetime

from projections.analysis.findings import Finding
from projections.check.compare import Comparison, compare
from projections.check.expected import ExpectedFinding

CODE = "transmission-unacknowledged"


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2024-05-10T{text}+01:00")


def found(start: str, end: str | None = None, code: str = CODE) -> Finding:
    return Finding(code, "INC-1", "medium", at(start), at(end) if end else None, ("e1",), False, "")


def expected(start: str, end: str | None = None, code: str = CODE) -> ExpectedFinding:
    return ExpectedFinding(code, "INC-1", at(start), at(end) if end else None, line=1)


def kinds(comparison: Comparison) -> list[tuple[str, str]]:
    return [(d.kind, ", ".join(c.field for c in d.changes)) for d in comparison.differences]


def test_the_same_instant_in_another_offset_is_the_same_finding() -> None:
    """Times are instants: 00:10+01:00 and 23:10Z the day before are one moment."""
    want = ExpectedFinding(CODE, "INC-1", datetime.fromisoformat("2024-05-09T23:10:00Z"), None, 1)
    assert compare([want], [found("00:10:00")]).equal


def test_two_findings_of_one_code_pair_by_start_and_then_by_order() -> None:
    """Of two messages left unacknowledged, the one whose start moved reads as one change."""
    comparison = compare(
        [expected("00:10:00"), expected("00:20:00")], [found("00:10:00"), found("00:25:00")]
    )
    assert kinds(comparison) == [("changed", "start")]


def test_a_finding_listed_twice_must_be_found_twice() -> None:
    """The expected file is a list, not a set: a duplicate that is found once is missing once."""
    comparison = compare([expected("00:10:00"), expected("00:10:00")], [found("00:10:00")])
    assert kinds(comparison) == [("missing", "")]


def test_other_codes_are_unexpected_unless_left_out() -> None:
    """Codes given to compare leave the others' findings out of the answer, not of the file."""
    answer = [found("00:10:00"), found("00:05:00", code="late-recording")]
    assert kinds(compare([expected("00:10:00")], answer)) == [("unexpected", "")]
    assert compare([expected("00:10:00")], answer, {CODE}).equal
    assert kinds(compare([expected("00:10:00")], answer, {"late-recording"})) == [
        ("unexpected", ""),
        ("missing", ""),
    ]


def test_an_end_that_moved_is_a_changed_end() -> None:
    """Same code, incident and start with another end: changed end, not missing + unexpected."""
    comparison = compare([expected("00:10:00", "00:30:00")], [found("00:10:00")])
    assert kinds(comparison) == [("changed", "end")]
