"""call-cut-off-without-callback: a call cut off with no outbound call within the window."""

from __future__ import annotations

from tests.projections.factory import Stream, found, minutes

CODE = "call-cut-off-without-callback"


def _dropped(how: str = "line-dropped") -> Stream:
    s = Stream()
    s.call("A", "c1", 0, phone="07700 900123")
    s.ended("c1", 3, how=how)
    return s


def test_cut_off_call_without_callback_is_a_finding_from_the_end() -> None:
    """Dropped, no outbound call: medium, from the end, citing the end and the call."""
    s = _dropped()
    [finding] = found(s, CODE, clock=60)
    assert (finding.incident, finding.severity) == ("A", "medium")
    assert (finding.start, finding.end, finding.evidence) == (s.time(3), None, ("e-0002", "e-0001"))


def test_handler_terminated_call_is_high() -> None:
    """Severity is high when the handler ended the call."""
    [finding] = found(_dropped("handler-terminated"), CODE, clock=60)
    assert finding.severity == "high"


def test_completed_call_needs_no_callback() -> None:
    """Only cut-offs count."""
    assert found(_dropped("completed"), CODE, clock=60) == []


def test_callback_exactly_at_the_window_is_in_time() -> None:
    """Within includes its last instant."""
    s = _dropped()
    s.call("A", "c2", 18, channel="outbound")
    assert found(s, CODE, clock=60) == []


def test_callback_one_second_late_ends_the_finding() -> None:
    """One second over the window: a finding ending at the callback."""
    s = _dropped()
    s.call("A", "c2", minutes(18, 1), channel="outbound")
    [finding] = found(s, CODE, clock=60)
    assert finding.end == s.time(minutes(18, 1))


def test_inbound_call_is_not_a_callback() -> None:
    """The caller ringing again is not the control room calling back."""
    s = _dropped()
    s.call("A", "c2", 5)
    assert len(found(s, CODE, clock=60)) == 1


def test_finding_waits_for_the_window_at_the_clock() -> None:
    """At the window's end nothing yet; one second later a finding."""
    s = _dropped()
    assert found(s, CODE, clock=18) == []
    assert len(found(s, CODE, clock=minutes(18, 1))) == 1


def test_closing_within_the_window_counts_as_no_callback() -> None:
    """The closing is the callback not made: the finding ends there and cites it."""
    s = _dropped()
    s.closed("A", 10)
    [finding] = found(s, CODE, clock=10)
    assert (finding.end, finding.evidence) == (s.time(10), ("e-0002", "e-0001", "e-0003"))
