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
    assert finding.evidence == ("e-0001", "e-0002", "e-0003")  # call, grading, the arrival
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
    assert (finding.start, finding.evidence) == (s.time(15), ("e-0001", "e-0002", "e-0004"))


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


def test_a_grade_given_after_the_first_arrival_does_not_count() -> None:
    """West Yorkshire 2017: graded S, arrival after 2 h 10 min, then regraded I after the
    arrival: the S target was missed, not an I target (the changed findings.md row)."""
    s = Stream()
    s.call("A", "c1", 0)
    s.graded("A", "S", 1)
    s.unit("Arrived", "A", "K1", 130)
    s.graded("A", "I", 150)
    [finding] = found(s, CODE)
    assert (finding.start, finding.end) == (s.time(60), s.time(130))
    assert finding.summary.startswith("Graded S (target 1 h)")


def test_a_grade_cannot_be_missed_before_it_was_given() -> None:
    """Graded I (15 min) only at 40 min: its deadline is the moment it was given."""
    s = Stream()
    s.call("A", "c1", 0)
    s.graded("A", "I", 40)
    s.unit("Arrived", "A", "K1", 50)
    [finding] = found(s, CODE)
    assert (finding.start, finding.end) == (s.time(40), s.time(50))
    assert finding.summary == (
        "Graded I (target 15 min), given 40 min after the call; first arrival 50 min after the call"
    )


def test_with_no_arrival_every_grade_counts_and_the_earliest_deadline_decides() -> None:
    """Graded S, then I at 10 min: still no arrival, the I deadline (25 min) comes first."""
    s = Stream()
    s.call("A", "c1", 0)
    s.graded("A", "S", 1)
    s.graded("A", "I", 10)
    [finding] = found(s, CODE, clock=30)
    assert finding.start == s.time(15)
    assert finding.evidence == ("e-0001", "e-0003")


def test_a_pending_deadline_is_reported_until_it_passes() -> None:
    """Before the deadline the rule says when it passes (a deadline still running)."""
    from projections.analysis.compute import analyse_all
    from projections.analysis.view import View

    s = _graded_s()
    waiting = analyse_all(s.events, View(at=s.time(30))).pending()
    assert [(p.code, p.incident, p.deadline) for p in waiting] == [(CODE, "A", s.time(60))]


def test_a_receiving_incidents_target_runs_from_the_senders_first_call() -> None:
    """Ruling 13: A's call at 0, handed to B (own call at 10, graded I): the deadline is 15."""
    s = Stream()
    s.call("A", "c1", 0)
    s.transferred("A", 2, to_incident="B")
    s.call("B", "c2", 10)
    s.graded("B", "I", 10)
    s.unit("Arrived", "B", "K1", 20)
    [finding] = found(s, "response-target-missed")
    assert (finding.incident, finding.start, finding.end) == ("B", s.time(15), s.time(20))
    assert finding.evidence == ("e-0001", "e-0004", "e-0005")
    assert "after the call to A" in finding.summary


def test_a_receivers_own_earlier_call_wins() -> None:
    """B's own call (0) came before A's (5): the deadline is 15, not 20."""
    s = Stream()
    s.call("B", "c2", 0)
    s.call("A", "c1", 5)
    s.transferred("A", 6, to_incident="B")
    s.graded("B", "I", 6)
    s.unit("Arrived", "B", "K1", 16)
    [finding] = found(s, "response-target-missed")
    assert (finding.start, finding.evidence[0]) == (s.time(15), "e-0001")


def test_a_receiver_with_no_call_of_its_own_counts_from_the_senders() -> None:
    """B has no call at all: the sender's first call starts its target."""
    s = Stream()
    s.call("A", "c1", 0)
    s.transferred("A", 2, to_incident="B")
    s.graded("B", "I", 3)
    assert len(found(s, "response-target-missed", clock=minutes(15, 1))) == 1
    assert found(s, "response-target-missed", clock=15) == []


def test_an_incident_handed_on_before_its_deadline_has_no_target_of_its_own() -> None:
    """Ruling 13: attendance became the receiver's; the sender, left open, misses nothing."""
    s = _graded_s()
    s.transferred("A", 20)
    assert found(s, CODE, 300) == []


def test_an_incident_handed_on_after_its_deadline_missed_it_until_the_hand_over() -> None:
    """Sat on for 70 minutes, then passed on: missed from the deadline to the hand-over."""
    s = _graded_s()
    handed = s.transferred("A", 70)
    [finding] = found(s, CODE, 300)
    assert (finding.start, finding.end) == (s.time(60), s.time(70))
    assert finding.evidence[-1] == handed.id
    assert finding.summary == (
        "Graded S (target 1 h); handed to Other Force 1 h 10 min after the call with no arrival"
    )
