"""late-recording: an event entered the record more than 24 h after it happened."""

from __future__ import annotations

from datetime import timedelta

from tests.projections.factory import Stream, found

CODE = "late-recording"
DAY = 24 * 60


def test_event_recorded_over_a_day_late_is_an_info_finding() -> None:
    """From `at` to `recorded_at`, on the incident the event names."""
    s = Stream()
    s.diverted("K1", "A", "B", 10, by="unit", recorded_at=10 + 2 * DAY)
    [finding] = found(s, CODE)
    assert (finding.incident, finding.severity) == ("A", "info")
    assert (finding.start, finding.end) == (s.time(10), s.time(10 + 2 * DAY))
    assert finding.evidence == ("e-0001",)


def test_recorded_exactly_a_day_late_is_silent() -> None:
    """Exactly the threshold is not more than it."""
    s = Stream()
    s.graded("A", "S", 0, recorded_at=DAY)
    assert found(s, CODE) == []


def test_recorded_a_day_and_a_second_late_is_a_finding() -> None:
    """One second over the threshold."""
    s = Stream()
    s.graded("A", "S", 0, recorded_at=timedelta(days=1, seconds=1))
    assert len(found(s, CODE)) == 1


def test_late_marker_has_no_incident_and_late_call_end_has_its_call_incident() -> None:
    """A marker names no incident; a CallEnded belongs to its call's incident."""
    s = Stream()
    s.call("A", "c1", 0)
    s.ended("c1", 5, recorded_at=5 + 2 * DAY)
    s.marker("phone", "07700 900123", 0, recorded_at=3 * DAY)
    assert [f.incident for f in found(s, CODE)] == [None, "A"]


def test_at_a_clock_before_the_recording_it_is_open() -> None:
    """Evaluated at a time when it was already late but not yet recorded: end null."""
    s = Stream()
    s.graded("A", "S", 0, recorded_at=3 * DAY)
    [finding] = found(s, CODE, clock=2 * DAY)
    assert finding.end is None
