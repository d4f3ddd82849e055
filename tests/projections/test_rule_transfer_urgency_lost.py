"""transfer-urgency-lost: a hand-over received as less urgent than the sender held it."""

from __future__ import annotations

from projections.analysis.policy import parse_policy
from tests.projections.factory import Stream, found

CODE = "transfer-urgency-lost"
# Two forces' codes in one policy: G1/G2 beside the built-in I/S/E/R.
TWO_FORCES = parse_policy(
    '[grades]\nI = "PT15M"\nG1 = "PT15M"\nS = "PT60M"\nG2 = "PT60M"\nE = "none"\nR = "none"\n',
    "test",
)


def _held(grade: str) -> Stream:
    s = Stream()
    s.call("A", "c1", 0, summary="a break-in")
    s.graded("A", grade, 1)
    return s


def test_received_with_a_longer_target_is_a_point_at_the_transfer() -> None:
    """Held I, received as S: a point at the transfer, citing the transfer and the grading."""
    s = _held("I")
    s.transferred("A", 3, to_grade="S")
    [finding] = found(s, CODE)
    assert (finding.severity, finding.start, finding.end) == ("high", s.time(3), s.time(3))
    assert finding.evidence == ("e-0003", "e-0002")
    assert "received as S" in finding.summary
    assert "held I" in finding.summary


def test_the_receiving_incidents_first_grading_counts_when_no_to_grade_is_given() -> None:
    """No to_grade: B's first grading (S) is what the receiver gave; it is cited."""
    s = _held("I")
    s.transferred("A", 3, to_incident="B")
    s.graded("B", "S", 4)
    s.graded("B", "I", 9)
    [finding] = found(s, CODE)
    assert finding.incident == "A"
    assert finding.evidence == ("e-0003", "e-0002", "e-0004")


def test_a_receiver_not_yet_graded_at_the_clock_gives_no_finding_yet() -> None:
    """Under --at before B's grading the receiver's urgency is unknown: no finding."""
    s = _held("I")
    s.transferred("A", 3, to_incident="B")
    s.graded("B", "S", 4)
    assert found(s, CODE, clock=3.5) == []
    assert len(found(s, CODE, clock=4)) == 1


def test_the_same_target_in_another_agencys_code_is_no_loss() -> None:
    """Held I (15 min), received as G1 (15 min): the same urgency in other words."""
    s = _held("I")
    s.transferred("A", 3, to_grade="G1")
    assert found(s, CODE, policy=TWO_FORCES) == []
    s.transferred("A", 5, to_grade="G2")
    assert len(found(s, CODE, policy=TWO_FORCES)) == 1


def test_received_more_urgent_or_held_none_is_no_loss() -> None:
    """Held S, received as I: more urgent. Held E (none): nothing to lose."""
    s = _held("S")
    s.transferred("A", 3, to_grade="I")
    s.call("B", "c2", 0)
    s.graded("B", "E", 1)
    s.transferred("B", 3, to_grade="R")
    assert found(s, CODE) == []


def test_received_as_none_after_a_target_is_a_loss() -> None:
    """Held S (60 min), received as E (none): none is the least urgent."""
    s = _held("S")
    s.transferred("A", 3, to_grade="E")
    assert len(found(s, CODE)) == 1


def test_a_code_the_policy_lacks_is_not_compared() -> None:
    """Received as P3, which the built-in policy does not list: no finding."""
    s = _held("I")
    s.transferred("A", 3, to_grade="P3")
    assert found(s, CODE) == []


def test_the_grade_held_is_the_one_in_force_at_the_transfer_as_corrected() -> None:
    """Regraded S after the transfer: I was held. A grading corrected to S before: S was held."""
    s = _held("I")
    s.transferred("A", 3, to_grade="S")
    s.graded("A", "S", 5)
    assert len(found(s, CODE)) == 1
    t = _held("I")
    t.transferred("A", 3, to_grade="S")
    t.corrected(t.events[1], 6, grade="S")
    assert found(t, CODE) == []


def test_an_incident_never_graded_loses_no_urgency() -> None:
    """No grading before the transfer: nothing was held (the transfer's own grade is not one)."""
    s = Stream()
    s.call("A", "c1", 0)
    s.transferred("A", 3, grade="I", to_grade="S")
    assert found(s, CODE) == []
