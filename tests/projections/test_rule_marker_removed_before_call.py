"""marker-removed-before-call: a call matches a subject whose marker was recently removed."""

from __future__ import annotations

from datetime import timedelta

from tests.projections.factory import Stream, found

CODE = "marker-removed-before-call"
DAY = 24 * 60


def _removed_days_before(days: float) -> Stream:
    s = Stream()
    s.marker("premises", "FLAT 3, 27 NOWHERE ROAD", -300 * DAY)
    s.marker("premises", "FLAT 3, 27 NOWHERE ROAD", -days * DAY, removed=True)
    s.call("A", "c1", 0, address="Flat 3 27 Nowhere Road")
    return s


def test_call_matching_a_recently_removed_marker_is_a_finding() -> None:
    """Stretch from the removal to the call, citing the call then the removal."""
    s = _removed_days_before(140)
    [finding] = found(s, CODE)
    assert (finding.incident, finding.severity) == ("A", "medium")
    assert (finding.start, finding.end) == (s.time(-140 * DAY), s.time(0))
    assert finding.evidence == ("e-0003", "e-0002")


def test_removal_exactly_at_the_lookback_counts() -> None:
    """180 days before the call is within the lookback."""
    assert len(found(_removed_days_before(180), CODE)) == 1


def test_removal_one_second_beyond_the_lookback_is_silent() -> None:
    """180 days and one second before: too old."""
    s = Stream()
    s.marker("premises", "1 High St", s.time(0) - timedelta(days=180, seconds=1), removed=True)
    s.call("A", "c1", 0, address="1 high st")
    assert found(s, CODE) == []


def test_marker_placed_again_before_the_call_is_silent() -> None:
    """A marker back in place at the call was not removed."""
    s = Stream()
    s.marker("premises", "1 High St", -30 * DAY, removed=True)
    s.marker("premises", "1 HIGH ST.", -DAY)
    s.call("A", "c1", 0, address="1 high st")
    assert found(s, CODE) == []


def test_one_finding_per_incident_and_removal() -> None:
    """A second matching call on the same incident adds nothing; another incident does."""
    s = _removed_days_before(140)
    s.call("A", "c2", 30, address="flat 3, 27 nowhere road")
    s.call("B", "c3", 60, address="FLAT 3 27 NOWHERE ROAD")
    assert [f.incident for f in found(s, CODE)] == ["A", "B"]


def test_person_marker_matches_no_call() -> None:
    """Person markers are kept but never match a call."""
    s = Stream()
    s.marker("person", "07700 900123", -DAY, removed=True)
    s.call("A", "c1", 0, phone="07700 900123")
    assert found(s, CODE) == []
