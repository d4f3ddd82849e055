"""incident-downgraded: a regrade makes the incident less urgent than the grade it held."""

from __future__ import annotations

from tests.projections.factory import Stream, found

CODE = "incident-downgraded"


def _graded(*grades: str) -> Stream:
    s = Stream()
    s.call("A", "c1", 0)
    for minute, grade in enumerate(grades, start=1):
        s.graded("A", grade, minute * 10)
    return s


def test_downgrade_is_a_finding_from_the_regrade() -> None:
    """S → E: open from the regrade, citing it then the grading it replaced."""
    s = _graded("S", "E")
    [finding] = found(s, CODE, clock=60)
    assert (finding.severity, finding.start, finding.end) == ("medium", s.time(20), None)
    assert finding.evidence == ("e-0003", "e-0002")


def test_same_grade_again_is_no_downgrade() -> None:
    """Regraded at the same urgency: the threshold itself is silent."""
    assert found(_graded("S", "S"), CODE, clock=60) == []


def test_upgrade_is_no_downgrade() -> None:
    """E → S is more urgent."""
    assert found(_graded("E", "S"), CODE, clock=60) == []


def test_regrade_back_to_the_old_urgency_ends_it() -> None:
    """S → E → S: the finding ends at the regrade back; E → R → S ends both."""
    s = _graded("S", "E", "R", "S")
    first, second = found(s, CODE, clock=60)
    assert (first.start, first.end) == (s.time(20), s.time(40))
    assert (second.start, second.end) == (s.time(30), s.time(40))


def test_regrade_not_back_to_the_old_urgency_leaves_it_open() -> None:
    """I → E → S: S is still less urgent than I."""
    [finding, *_] = found(_graded("I", "E", "S"), CODE, clock=60)
    assert finding.end is None


def test_correction_of_a_grading_is_not_a_regrade() -> None:
    """Correcting S to E in place changes the grade held, without a downgrade."""
    s = Stream()
    grading = s.graded("A", "S", 1)
    s.corrected(grading, 5, grade="E")
    assert found(s, CODE, clock=60) == []


def test_closing_ends_the_stretch() -> None:
    """Still downgraded when the incident closes."""
    s = _graded("S", "E")
    s.closed("A", 45)
    [finding] = found(s, CODE, clock=60)
    assert finding.end == s.time(45)


def test_unknown_grades_are_not_compared() -> None:
    """A grade the policy does not know is neither more nor less urgent."""
    assert found(_graded("S", "P9"), CODE, clock=60) == []
