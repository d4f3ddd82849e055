"""unresourced-after-diversion: an incident left with no unit beyond the reallocation grace."""

from __future__ import annotations

from tests.projections.factory import Stream, found, minutes

CODE = "unresourced-after-diversion"


def _diverted_at_5() -> Stream:
    s = Stream()
    s.call("A", "c1", 0)
    s.unit("Allocated", "A", "KD21", 1)
    s.diverted("KD21", "A", "B", 5)
    return s


def test_unit_diverted_leaves_incident_unresourced() -> None:
    """The last unit diverted and none back within 5 min: open from the diversion."""
    s = _diverted_at_5()
    [finding] = found(s, CODE, clock=20)
    assert (finding.incident, finding.severity) == ("A", "high")
    assert (finding.start, finding.end) == (s.time(5), None)
    assert finding.evidence == ("e-0003", "e-0002")  # the leaving, then the unit's allocation


def test_unit_back_within_the_grace_is_no_finding() -> None:
    """Another unit committed within the grace: nothing to report."""
    s = _diverted_at_5()
    s.unit("Allocated", "A", "KD22", 8)
    assert found(s, CODE, clock=60) == []


def test_unit_back_exactly_at_the_grace_is_in_time() -> None:
    """Committed again at the grace's last instant: within the grace."""
    s = _diverted_at_5()
    s.unit("Allocated", "A", "KD22", 10)
    assert found(s, CODE, clock=60) == []


def test_unit_back_one_second_after_the_grace_ends_the_finding() -> None:
    """One second late: a finding ending at the recommitment."""
    s = _diverted_at_5()
    s.unit("Arrived", "A", "KD22", minutes(10, 1))
    [finding] = found(s, CODE, clock=60)
    assert finding.end == s.time(minutes(10, 1))


def test_finding_waits_for_the_grace_to_pass_at_the_clock() -> None:
    """At the grace's end the finding does not exist yet; one second later it does."""
    s = _diverted_at_5()
    assert found(s, CODE, clock=10) == []
    assert len(found(s, CODE, clock=minutes(10, 1))) == 1


def test_cleared_unit_is_no_loss_of_resource() -> None:
    """A unit that clears has finished its part."""
    s = Stream()
    s.unit("Allocated", "A", "KD21", 1)
    s.unit("Cleared", "A", "KD21", 5)
    assert found(s, CODE, clock=60) == []


def test_unit_allocated_elsewhere_or_deallocated_is_a_loss() -> None:
    """Allocation to another incident and deallocation both leave the incident unresourced."""
    s = Stream()
    s.unit("Allocated", "A", "K1", 1)
    s.unit("Allocated", "B", "K1", 5)
    s.unit("Allocated", "C", "K2", 1)
    s.unit("Deallocated", "C", "K2", 5)
    assert [f.incident for f in found(s, CODE, clock=60)] == ["A", "C"]


def test_closing_within_the_grace_is_no_finding() -> None:
    """Closed before the grace ran out: the closing does not count as the gap."""
    s = _diverted_at_5()
    s.closed("A", 9)
    assert found(s, CODE, clock=60) == []


def test_closing_after_the_grace_ends_the_stretch() -> None:
    """An open stretch ends at the incident's closing."""
    s = _diverted_at_5()
    s.closed("A", 30)
    [finding] = found(s, CODE, clock=60)
    assert finding.end == s.time(30)
