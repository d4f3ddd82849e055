"""The one pipeline: the clock, `at`/`as_known_at`, the incident filter, order, JSON shape."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest

from projections.analysis.compute import ledger_clock_of
from projections.analysis.findings import SEVERITIES
from projections.analysis.policy import DEFAULT_POLICY
from projections.analysis.rules import CODES
from tests.projections.factory import Stream, evaluate


def _two_incidents() -> Stream:
    s = Stream()
    s.call("B", "c2", 0, summary="her husband is outside")
    s.call("A", "c1", 0, summary="my ex-wife")
    s.graded("A", "S", 1)
    s.radio("T1", "K1", "control", 0, incident="A")
    return s


def test_every_finding_code_has_a_rule() -> None:
    """The 15 codes of findings.md (round 2: the two of transfers), in its table's order."""
    assert CODES == (
        "unresourced-after-diversion",
        "response-target-missed",
        "transmission-unacknowledged",
        "diversion-unknown-to-control",
        "call-cut-off-without-callback",
        "marker-removed-before-call",
        "repeat-contact-not-linked",
        "closed-without-attendance",
        "possible-domestic-not-flagged",
        "incident-downgraded",
        "marker-call-graded-below-policy",
        "follow-up-overdue",
        "transfer-urgency-lost",
        "transfer-facts-lost",
        "late-recording",
    )
    assert SEVERITIES == ("info", "medium", "high")


def test_findings_sort_by_start_then_incident_then_code() -> None:
    """Equal starts order by incident, then by code."""
    s = _two_incidents()
    found = evaluate(s.events, DEFAULT_POLICY, at=s.time(90))
    assert [(f.start, f.incident, f.code) for f in found] == [
        (s.time(0), "A", "possible-domestic-not-flagged"),
        (s.time(0), "A", "transmission-unacknowledged"),
        (s.time(0), "B", "possible-domestic-not-flagged"),
        (s.time(60), "A", "response-target-missed"),
    ]


def test_the_ledger_clock_is_the_latest_at_or_recorded_at() -> None:
    """A late record moves the default clock to its recording."""
    s = Stream()
    s.call("A", "c1", 0)
    s.graded("A", "S", 5, recorded_at=30)
    assert ledger_clock_of(s.events) == s.time(30)
    with pytest.raises(ValueError, match="no events"):
        ledger_clock_of([])


def test_findings_at_the_default_clock_wait_for_their_deadlines() -> None:
    """At the latest event's time a 60 min target has not passed: no finding yet."""
    s = Stream()
    s.call("A", "c1", 0)
    s.graded("A", "S", 1)
    assert evaluate(s.events, DEFAULT_POLICY) == []
    assert len(evaluate(s.events, DEFAULT_POLICY, at=s.time(61))) == 1


def test_at_hides_what_had_not_happened_yet() -> None:
    """--at T: a closing after T has not happened, so the stretch is still open."""
    s = Stream()
    s.call("A", "c1", 0, summary="ex-partner")
    s.closed("A", 120)
    [before] = evaluate(s.events, DEFAULT_POLICY, at=s.time(60))
    [after] = evaluate(s.events, DEFAULT_POLICY)
    assert (before.end, after.end) == (None, s.time(120))


def test_as_known_at_sees_only_what_was_recorded() -> None:
    """A diversion recorded weeks later is invisible to what control could know that night."""
    s = Stream()
    s.unit("Allocated", "A", "K1", 0)
    s.diverted("K1", "A", "B", 10, by="unit", recorded_at=60 * 24 * 20)
    night = evaluate(s.events, DEFAULT_POLICY, as_known_at=s.time(60))
    later = evaluate(s.events, DEFAULT_POLICY)
    assert night == []
    assert {f.code for f in later} == {
        "unresourced-after-diversion",
        "diversion-unknown-to-control",
        "late-recording",
    }


def test_incident_filter_keeps_named_incidents_and_drops_unplaced_findings() -> None:
    """Naming incidents gives theirs only; findings of no incident come with all."""
    s = _two_incidents()
    s.radio("T9", "K2", "control", 0)
    clock = s.time(90)
    everything = evaluate(s.events, DEFAULT_POLICY, at=clock)
    only_b = evaluate(s.events, DEFAULT_POLICY, at=clock, incidents=["B", "nope"])
    assert None in {f.incident for f in everything}
    assert {f.incident for f in only_b} == {"B"}


def test_finding_json_has_the_findings_md_shape_and_keeps_offsets() -> None:
    """Exactly the documented keys; times RFC 3339 with the events' own offset."""
    s = Stream()
    s.call("A", "c1", 0, precision="hour")
    s.graded("A", "S", 1)
    s.unit("Arrived", "A", "K1", 191)
    [finding] = evaluate(s.events, DEFAULT_POLICY)
    data = finding.to_json()
    assert list(data) == [
        "code",
        "incident",
        "severity",
        "start",
        "end",
        "evidence",
        "approximate",
        "summary",
    ]
    assert data["start"] == "2018-06-01T00:54:00+01:00"
    assert data["end"] == "2018-06-01T03:05:00+01:00"
    assert data["approximate"] is True  # the call, cited, is only known to the hour
    json.dumps(data)


def test_empty_ledger_has_no_findings() -> None:
    """Nothing recorded, nothing found."""
    assert evaluate([], DEFAULT_POLICY) == []


def test_changing_the_policy_changes_the_findings() -> None:
    """Findings are derived: a longer window removes one."""
    s = Stream()
    s.call("A", "c1", 0)
    s.ended("c1", 1, how="caller-hung-up")
    s.call("A", "c2", 18, channel="outbound")
    longer = replace(DEFAULT_POLICY, callback_window=timedelta(minutes=20))
    assert len(evaluate(s.events, DEFAULT_POLICY)) == 1
    assert evaluate(s.events, longer) == []


def test_findings_do_not_change_as_the_clock_moves_on() -> None:
    """Once every deadline has passed, a later clock gives the very same findings."""
    s = _two_incidents()
    s.ended("c1", 1, how="line-dropped")
    s.planned("A", "P1", 2, due=30)
    s.unit("Allocated", "A", "K1", 3)
    s.unit("Deallocated", "A", "K1", 4)
    soon = evaluate(s.events, DEFAULT_POLICY, at=s.time(120))
    much_later = evaluate(s.events, DEFAULT_POLICY, at=s.time(60 * 24 * 90))
    assert len(soon) == 7
    assert soon == much_later
