"""response-target-missed: no arrival by the call time plus the shortest target held."""

from __future__ import annotations

from tests.projections.factory import Stream, found, minutes

CODE = "response-target-missed"


def _graded_s() -> Stream:
    s = Stream()
    s.call("A", "c1", 0)
    s.graded("A", "S", 2)
    return s


def test_arrival_after_the_target_is_a_finding_from_the_deadline() -> None:
    """Graded S (60 min), arrival at 3 h 11 min: the example of findings.md."""
    s = _graded_s()
    s.unit("Arrived", "A", "K1", 191)
    [finding] = found(s, CODE)
    assert (finding.start, finding.end) == (s.time(60), s.time(191))
    assert finding.evidence == ("e-0001", "e-0002")
    assert finding.summary == "Graded S (target 1 h); first arrival 3 h 11 min after the call"
    assert finding.to_json()["start"] == "2018-06-01T00:54:00+01:00"


def test_arrival_exactly_at_the_deadline_meets_the_target() -> None:
    """Within includes its last instant."""
    s = _graded_s()
    s.unit("Arrived", "A", "K1", 60)
    assert found(s, CODE) == []


def test_arrival_one_second_late_misses_the_target() -> None:
    """One second over the target: a finding of one second."""
    s = _graded_s()
    s.unit("Arrived", "A", "K1", minutes(60, 1))
    [finding] = found(s, CODE)
    assert finding.end == s.time(minutes(60, 1))


def test_no_arrival_is_open_once_the_deadline_has_passed() -> None:
    """At the deadline nothing yet; one second later an open finding."""
    s = _graded_s()
    assert found(s, CODE, clock=60) == []
    [finding] = found(s, CODE, clock=minutes(60, 1))
    assert finding.end is None


def test_shortest_target_of_any_grade_held_counts() -> None:
    """Graded I then S: the deadline stays the I target."""
    s = Stream()
    s.call("A", "c1", 0)
    s.graded("A", "I", 1)
    s.graded("A", "S", 7)
    s.unit("Arrived", "A", "K1", 30)
    [finding] = found(s, CODE)
    assert (finding.start, finding.evidence) == (s.time(15), ("e-0001", "e-0002"))


def test_grading_target_overrides_the_policy() -> None:
    """A grading's own target (4 h) replaces S's 60 min."""
    s = Stream()
    s.call("A", "c1", 0)
    s.graded("A", "S", 1, target="PT4H")
    assert found(s, CODE, clock=200) == []
    assert len(found(s, CODE, clock=241)) == 1


def test_ungraded_or_untargeted_incident_has_no_target() -> None:
    """Never graded, or graded E (none): no target to miss."""
    s = Stream()
    s.call("A", "c1", 0)
    s.call("B", "c2", 0)
    s.graded("B", "E", 1)
    assert found(s, CODE, clock=600) == []


def test_closing_before_the_deadline_is_no_finding() -> None:
    """Closed while the target was still running."""
    s = _graded_s()
    s.closed("A", 30)
    assert found(s, CODE, clock=600) == []


def test_closing_after_the_deadline_ends_the_stretch() -> None:
    """No arrival, closed after the deadline: the stretch ends at the closing."""
    s = _graded_s()
    s.closed("A", 90)
    [finding] = found(s, CODE, clock=600)
    assert finding.end == s.time(90)
