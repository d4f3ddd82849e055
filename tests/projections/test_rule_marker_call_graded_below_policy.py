"""marker-call-graded-below-policy: a marked caller's incident graded below the minimum."""

from __future__ import annotations

from tests.projections.factory import Stream, found

CODE = "marker-call-graded-below-policy"


def _marked_call(grade: str | None = "S", marker: str = "domestic-abuse-priority") -> Stream:
    s = Stream()
    s.marker("phone", "+44 7700 900123", -60, marker=marker)
    s.call("A", "c1", 0, phone="07700 900123")
    if grade is not None:
        s.graded("A", grade, 2)
    return s


def test_marked_call_graded_below_the_minimum_is_a_finding() -> None:
    """Graded S against a minimum of I: high, from the grading; call, marker, grading."""
    s = _marked_call("S")
    [finding] = found(s, CODE, clock=30)
    assert (finding.incident, finding.severity) == ("A", "high")
    assert (finding.start, finding.end) == (s.time(2), None)
    assert finding.evidence == ("e-0002", "e-0001", "e-0003")


def test_grade_at_the_minimum_is_silent() -> None:
    """Graded I, the minimum itself: policy met."""
    assert found(_marked_call("I"), CODE, clock=30) == []


def test_regrade_to_the_minimum_ends_it() -> None:
    """Upgraded to I: the stretch ends there."""
    s = _marked_call("S")
    s.graded("A", "I", 6)
    [finding] = found(s, CODE, clock=30)
    assert finding.end == s.time(6)


def test_removed_marker_or_one_without_minimum_is_silent() -> None:
    """Only active markers with a marker_min_grade count."""
    s = _marked_call("S")
    s.marker("phone", "07700900123", -30, removed=True)
    assert found(s, CODE, clock=30) == []
    assert found(_marked_call("S", marker="firearms"), CODE, clock=30) == []


def test_ungraded_incident_is_not_below_the_minimum() -> None:
    """No grade is not a less urgent grade."""
    assert found(_marked_call(None), CODE, clock=30) == []


def test_grading_before_the_matching_call_starts_it_at_the_call() -> None:
    """Graded E first, then a call from the marked number: the stretch starts at that call."""
    s = Stream()
    s.marker("premises", "1 High St", -60)
    s.call("A", "c1", 0)
    s.graded("A", "E", 1)
    s.call("A", "c2", 20, address="1 HIGH ST")
    [finding] = found(s, CODE, clock=30)
    assert (finding.start, finding.evidence) == (s.time(20), ("e-0004", "e-0001", "e-0003"))
