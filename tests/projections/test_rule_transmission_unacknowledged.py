"""transmission-unacknowledged: a message needing an acknowledgement gets none in time."""

from __future__ import annotations

from tests.projections.factory import Stream, found, minutes

CODE = "transmission-unacknowledged"


def _sent() -> Stream:
    s = Stream()
    s.call("A", "c1", 0)
    s.radio("T1", "KD21", "control", 10, incident="A")
    return s


def test_unacknowledged_message_is_a_finding_from_the_transmission() -> None:
    """No acknowledgement within 2 min: open from the transmission."""
    s = _sent()
    [finding] = found(s, CODE, clock=30)
    assert (finding.incident, finding.severity) == ("A", "medium")
    assert (finding.start, finding.end, finding.evidence) == (s.time(10), None, ("e-0002",))


def test_acknowledgement_exactly_at_the_timeout_is_in_time() -> None:
    """Within includes its last instant."""
    s = _sent()
    s.ack("T1", 12)
    assert found(s, CODE, clock=30) == []


def test_acknowledgement_one_second_late_ends_the_finding() -> None:
    """One second over: a finding ending at the late acknowledgement."""
    s = _sent()
    s.ack("T1", minutes(12, 1))
    [finding] = found(s, CODE, clock=30)
    assert finding.end == s.time(minutes(12, 1))


def test_finding_waits_for_the_timeout_at_the_clock() -> None:
    """At the timeout nothing yet; one second later a finding."""
    s = _sent()
    assert found(s, CODE, clock=12) == []
    assert len(found(s, CODE, clock=minutes(12, 1))) == 1


def test_message_needing_no_acknowledgement_is_silent() -> None:
    """ack_required false: nothing is owed."""
    s = Stream()
    s.radio("T1", "control", "KD21", 0, incident="A", ack_required=False)
    assert found(s, CODE, clock=30) == []


def test_message_naming_no_incident_gives_a_finding_of_no_incident() -> None:
    """Listed with all incidents, not with chosen ones."""
    s = Stream()
    s.call("A", "c1", 0)
    s.radio("T1", "KD21", "control", 1)
    [finding] = found(s, CODE, clock=30)
    assert finding.incident is None
    assert found(s, CODE, clock=30, incidents=["A"]) == []


def test_closing_within_the_timeout_is_no_finding() -> None:
    """The incident closed while the timeout ran."""
    s = _sent()
    s.closed("A", 11)
    assert found(s, CODE, clock=30) == []
