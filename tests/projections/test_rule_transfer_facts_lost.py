"""transfer-facts-lost: a risk word the sender had is not in what it passed on."""

from __future__ import annotations

from dataclasses import replace

from projections.analysis.policy import DEFAULT_POLICY
from tests.projections.factory import Stream, found

CODE = "transfer-facts-lost"


def test_a_risk_word_left_out_of_the_hand_over_is_a_point_at_the_transfer() -> None:
    """ "kill" in the call, not in the summary passed on: named, citing the transfer and call."""
    s = Stream()
    s.call("A", "c1", 0, summary="He said he would come back to KILL her")
    s.transferred("A", 3, summary="ex-partner broke in and left")
    [finding] = found(s, CODE)
    assert (finding.severity, finding.start, finding.end) == ("high", s.time(3), s.time(3))
    assert finding.evidence == ("e-0002", "e-0001")
    assert '"kill"' in finding.summary
    assert "call c1 summary" in finding.summary


def test_the_word_passed_on_in_any_case_is_no_loss() -> None:
    """The summary says "Kill": the fact reached the receiver."""
    s = Stream()
    s.call("A", "c1", 0, summary="threatened to kill her")
    s.transferred("A", 3, summary="Threat to Kill made")
    assert found(s, CODE) == []


def test_a_word_inside_a_longer_word_is_no_risk_word() -> None:
    """ "skills", "killed" and "threatened" hold no whole risk word: no finding."""
    s = Stream()
    s.call("A", "c1", 0, summary="his skills; she killed time; he threatened to leave")
    s.transferred("A", 3)
    assert found(s, CODE) == []


def test_a_note_counts_and_every_missing_word_is_named() -> None:
    """A note with "knife" and a call with "gun": both missing, in the policy's order."""
    s = Stream()
    s.call("A", "c1", 0, summary="he has a gun")
    s.noted("A", "a knife was seen", 1)
    s.transferred("A", 3, summary="man with a gun")
    [finding] = found(s, CODE)
    assert '"knife"' in finding.summary
    assert '"gun"' not in finding.summary
    assert finding.evidence == ("e-0003", "e-0002")


def test_words_recorded_after_the_transfer_were_not_there_to_pass_on() -> None:
    """A note after the transfer, or one timed before but recorded after: no finding."""
    s = Stream()
    s.call("A", "c1", 0)
    s.transferred("A", 3)
    s.noted("A", "threat to kill", 4)
    s.noted("A", "threat to kill", 2, recorded_at=5)
    assert found(s, CODE) == []


def test_a_note_recorded_at_the_transfer_instant_was_there() -> None:
    """Recorded exactly when the transfer happened: it could be passed on."""
    s = Stream()
    s.call("A", "c1", 0)
    s.noted("A", "threat to kill", 2, recorded_at=3)
    s.transferred("A", 3)
    assert len(found(s, CODE)) == 1


def test_the_policys_risk_terms_decide_and_an_empty_list_matches_nothing() -> None:
    """risk_terms = [] : no finding; ["bite"]: a bite left out is one."""
    s = Stream()
    s.call("A", "c1", 0, summary="he threatened to kill; a bite on the ear")
    s.transferred("A", 3)
    assert found(s, CODE, policy=replace(DEFAULT_POLICY, risk_terms=())) == []
    [finding] = found(s, CODE, policy=replace(DEFAULT_POLICY, risk_terms=("bite",)))
    assert '"bite"' in finding.summary


def test_the_receiving_incident_is_not_judged_on_the_senders_words() -> None:
    """The finding belongs to the sender; B's own call words are not compared."""
    s = Stream()
    s.call("A", "c1", 0, summary="knife")
    s.transferred("A", 3, to_incident="B")
    s.call("B", "c2", 4, summary="gun")
    [finding] = found(s, CODE)
    assert finding.incident == "A"
