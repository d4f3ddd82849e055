"""diversion-unknown-to-control: a unit leaves on its own initiative and control is not told."""

from __future__ import annotations

from tests.projections.factory import Stream, When, found, minutes

CODE = "diversion-unknown-to-control"


def _self_diverted(ack_at: When | None = None) -> Stream:
    """KD21 allocated to A, radios at 10 and diverts itself via that message at 10."""
    s = Stream()
    s.call("A", "c1", 0)
    s.unit("Allocated", "A", "KD21", 1)
    s.radio("T1", "KD21", "control", 10, incident="A", message="diverting")
    if ack_at is not None:
        s.ack("T1", ack_at)
    s.diverted("KD21", "A", "B", 10, by="unit", via="T1")
    return s


def test_unit_diverted_without_ack_is_unknown_to_control() -> None:
    """Own initiative, the via message unacknowledged: high, from the leaving."""
    s = _self_diverted()
    [finding] = found(s, CODE, clock=60)
    assert (finding.incident, finding.severity) == ("A", "high")
    assert (finding.start, finding.end) == (s.time(10), None)
    assert finding.evidence == ("e-0004", "e-0003")


def test_acknowledged_via_message_means_control_was_told() -> None:
    """The acknowledgement within the timeout tells control."""
    assert found(_self_diverted(ack_at=11), CODE, clock=60) == []


def test_acknowledgement_exactly_at_the_timeout_tells_control() -> None:
    """Within includes its last instant."""
    assert found(_self_diverted(ack_at=12), CODE, clock=60) == []


def test_acknowledgement_one_second_late_does_not_tell_control() -> None:
    """One second over the timeout: control was not told."""
    assert len(found(_self_diverted(ack_at=minutes(12, 1)), CODE, clock=60)) == 1


def test_other_acknowledged_message_from_the_unit_near_the_leaving_tells_control() -> None:
    """Any message from the unit within the timeout of the leaving counts."""
    s = Stream()
    s.unit("Allocated", "A", "KD21", 1)
    s.radio("T2", "KD21", "control", 8)
    s.ack("T2", 9)
    s.diverted("KD21", "A", "B", 10, by="unit")
    assert found(s, CODE, clock=60) == []


def test_message_sent_before_the_window_does_not_count() -> None:
    """A message 2 min 1 s before the leaving is too early to tell control of it."""
    s = Stream()
    s.unit("Allocated", "A", "KD21", 1)
    s.radio("T2", "KD21", "control", minutes(7, 59))
    s.ack("T2", 8)
    s.diverted("KD21", "A", "B", 10, by="unit")
    [finding] = found(s, CODE, clock=60)
    assert finding.evidence == ("e-0004",)


def test_finding_waits_until_no_message_could_still_tell_control() -> None:
    """Without messages, it exists once the timeout after the leaving has passed."""
    s = Stream()
    s.unit("Allocated", "A", "KD21", 1)
    s.diverted("KD21", "A", "B", 10, by="unit")
    assert found(s, CODE, clock=12) == []
    assert len(found(s, CODE, clock=minutes(12, 1))) == 1


def test_diversion_by_control_is_known_to_control() -> None:
    """initiated_by control: control did it."""
    s = Stream()
    s.unit("Allocated", "A", "KD21", 1)
    s.diverted("KD21", "A", "B", 10, by="control")
    assert found(s, CODE, clock=60) == []


def test_unit_turning_up_elsewhere_left_on_its_own_initiative() -> None:
    """Allocated to B with no diversion recorded: the earlier incident's finding."""
    s = Stream()
    s.unit("Allocated", "A", "KD21", 1)
    s.unit("Arrived", "B", "KD21", 10)
    [finding] = found(s, CODE, clock=60)
    assert (finding.incident, finding.start) == ("A", s.time(10))


def test_later_control_action_ends_the_finding_and_arrival_does_not() -> None:
    """An allocation on the incident is a control action; an arrival is not."""
    s = _self_diverted()
    s.unit("Arrived", "A", "KD30", 20)
    s.unit("Allocated", "A", "KD22", 30)
    [finding] = found(s, CODE, clock=60)
    assert finding.end == s.time(30)


def test_closing_before_it_is_settled_is_no_finding() -> None:
    """Closed within the timeout of the leaving."""
    s = _self_diverted()
    s.closed("A", 11)
    assert found(s, CODE, clock=60) == []


def test_reallocation_recorded_as_two_lines_at_one_instant_is_control_action() -> None:
    """Allocated to B and deallocated from A at the same minute, in either order: no finding."""
    s = Stream()
    s.unit("Allocated", "A", "KD21", 1)
    s.unit("Allocated", "B", "KD21", 10)
    s.unit("Deallocated", "A", "KD21", 10)
    assert found(s, CODE, clock=60) == []
