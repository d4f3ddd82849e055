"""follow-up-overdue: a planned follow-up not done by its due time."""

from __future__ import annotations

from tests.projections.factory import Stream, found, minutes

CODE = "follow-up-overdue"


def _planned() -> Stream:
    s = Stream()
    s.planned("A", "P1", 0, due=60, action="welfare visit within 1 h")
    return s


def test_follow_up_not_done_by_its_due_time_is_a_finding_from_due() -> None:
    """High, from the due time, citing the plan."""
    s = _planned()
    [finding] = found(s, CODE, clock=90)
    assert (finding.severity, finding.start, finding.end) == ("high", s.time(60), None)
    assert finding.evidence == ("e-0001",)


def test_done_exactly_at_due_is_on_time() -> None:
    """Within includes its last instant."""
    s = _planned()
    s.done("P1", 60)
    assert found(s, CODE, clock=90) == []


def test_done_one_second_late_ends_the_finding() -> None:
    """One second late: a finding ending when it was done."""
    s = _planned()
    s.done("P1", minutes(60, 1))
    [finding] = found(s, CODE, clock=90)
    assert finding.end == s.time(minutes(60, 1))


def test_finding_waits_for_the_due_time_at_the_clock() -> None:
    """At the due time nothing yet; one second later a finding."""
    s = _planned()
    assert found(s, CODE, clock=60) == []
    assert len(found(s, CODE, clock=minutes(60, 1))) == 1


def test_promise_outlives_the_incident() -> None:
    """Closing the incident does not end an overdue follow-up."""
    s = _planned()
    s.closed("A", 30)
    [finding] = found(s, CODE, clock=90)
    assert finding.end is None
