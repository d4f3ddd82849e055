"""possible-domestic-not-flagged: a domestic word without a domestic classification."""

from __future__ import annotations

from tests.projections.factory import Stream, found, minutes

CODE = "possible-domestic-not-flagged"


def _mention(summary: str = "She believes it may be her ex-husband.") -> Stream:
    s = Stream()
    s.call("A", "c1", 0, summary=summary)
    return s


def test_domestic_word_without_classification_is_a_finding() -> None:
    """Open from the call, citing it."""
    s = _mention()
    [finding] = found(s, CODE, clock=30)
    assert (finding.incident, finding.severity) == ("A", "medium")
    assert (finding.start, finding.end, finding.evidence) == (s.time(0), None, ("e-0001",))
    assert '"ex-husband"' in finding.summary


def test_domestic_classification_exactly_at_the_grace_is_in_time() -> None:
    """Within includes its last instant."""
    s = _mention()
    s.classified("A", 10, domestic=True)
    assert found(s, CODE, clock=30) == []


def test_domestic_classification_one_second_late_ends_the_finding() -> None:
    """One second over the grace: a finding ending at the classification."""
    s = _mention()
    s.classified("A", minutes(10, 1), domestic=True)
    [finding] = found(s, CODE, clock=30)
    assert finding.end == s.time(minutes(10, 1))


def test_non_domestic_classification_does_not_close_it() -> None:
    """Classified domestic: false is not the classification asked for."""
    s = _mention()
    s.classified("A", 1, domestic=False)
    [finding] = found(s, CODE, clock=30)
    assert finding.end is None


def test_terms_match_whole_words_in_any_case() -> None:
    """ "EX-WIFE" matches; "husbandry" and "partnership" do not."""
    assert len(found(_mention("Row with his EX-WIFE"), CODE, clock=30)) == 1
    assert found(_mention("Animal husbandry dispute; partnership ended"), CODE, clock=30) == []


def test_incident_note_triggers_it_too() -> None:
    """An IncidentNoted text counts like a call summary."""
    s = Stream()
    s.call("A", "c1", 0, summary="noise")
    s.noted("A", "Caller says her boyfriend is outside", 5)
    [finding] = found(s, CODE, clock=30)
    assert (finding.start, finding.evidence) == (s.time(5), ("e-0002",))


def test_incident_already_domestic_is_flagged() -> None:
    """Classified domestic before the mention: nothing to flag."""
    s = Stream()
    s.classified("A", 0, domestic=True)
    s.call("A", "c1", 1, summary="her husband")
    assert found(s, CODE, clock=30) == []


def test_closing_within_the_grace_counts_as_not_flagged() -> None:
    """Closed inside the grace: the finding ends at the closing and cites it."""
    s = _mention()
    s.closed("A", 5)
    [finding] = found(s, CODE, clock=5)
    assert (finding.end, finding.evidence) == (s.time(5), ("e-0001", "e-0002"))


def test_one_finding_per_incident() -> None:
    """A later mention on the same incident adds nothing."""
    s = _mention()
    s.noted("A", "ex-husband seen nearby", 20)
    assert len(found(s, CODE, clock=60)) == 1
