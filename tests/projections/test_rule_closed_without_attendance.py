"""closed-without-attendance: an incident whose grade needs attendance closes unattended."""

from __future__ import annotations

from tests.projections.factory import Stream, found, minutes

CODE = "closed-without-attendance"


def _graded(grade: str) -> Stream:
    s = Stream()
    s.call("A", "c1", 0)
    s.graded("A", grade, 1)
    return s


def test_closing_a_graded_s_incident_unattended_is_a_point_finding() -> None:
    """A point at the closing, citing the closing and the grading in force."""
    s = _graded("S")
    s.closed("A", 30)
    [finding] = found(s, CODE)
    assert (finding.severity, finding.start, finding.end) == ("high", s.time(30), s.time(30))
    assert finding.evidence == ("e-0003", "e-0002")


def test_arrival_before_the_closing_is_attendance() -> None:
    """A unit arrived: attended."""
    s = _graded("I")
    s.unit("Arrived", "A", "K1", 20)
    s.closed("A", 30)
    assert found(s, CODE) == []


def test_arrival_at_the_closing_instant_is_attendance() -> None:
    """An arrival at the very instant of the closing counts."""
    s = _graded("S")
    s.closed("A", 30)
    s.unit("Arrived", "A", "K1", 30)
    assert found(s, CODE) == []


def test_arrival_one_second_after_the_closing_is_too_late() -> None:
    """One second after the closing: it closed unattended."""
    s = _graded("S")
    s.closed("A", 30)
    s.unit("Arrived", "A", "K1", minutes(30, 1))
    assert len(found(s, CODE)) == 1


def test_grade_outside_attendance_required_or_none_needs_no_attendance() -> None:
    """Graded E, or never graded: no requirement."""
    s = _graded("E")
    s.closed("A", 30)
    s.call("B", "c2", 0)
    s.closed("B", 30)
    assert found(s, CODE) == []


def test_grade_in_force_at_the_closing_decides() -> None:
    """Downgraded S → E before closing: E is in force, so no requirement."""
    s = _graded("S")
    s.graded("A", "E", 10)
    s.closed("A", 30)
    assert found(s, CODE) == []


def test_an_incident_handed_on_before_it_closes_needs_no_attendance() -> None:
    """Ruling 13: graded I, transferred, closed unattended: the attendance was the receiver's."""
    s = _graded("I")
    s.transferred("A", 5, to_incident="B")
    s.closed("A", 6, outcome="transferred")
    assert found(s, CODE) == []


def test_a_transfer_after_the_closing_does_not_excuse_it() -> None:
    """Closed unattended at 6, handed on at 7 (after a reopening): the closing stands."""
    s = _graded("I")
    s.closed("A", 6)
    s.reopened("A", 7)
    s.transferred("A", 7)
    assert len(found(s, CODE)) == 1
