"""Folding events into one incident's state, and the phrases `step` gives the timeline."""

from __future__ import annotations

from datetime import timedelta

from projections.analysis.effective import effective_events
from projections.analysis.policy import DEFAULT_POLICY
from projections.analysis.state import IncidentState, fold, step
from tests.projections.factory import Stream


def _phrases(stream: Stream, incident: str) -> list[str]:
    state = IncidentState(incident)
    phrases = []
    for item in effective_events(stream.events):
        state, phrase, _ = step(state, item, DEFAULT_POLICY)
        phrases.append(phrase)
    return phrases


def test_step_says_what_each_event_changed_for_people() -> None:
    """Calls, gradings, units and closings each get a short phrase."""
    s = Stream()
    s.call("A", "c1", 0)
    s.graded("A", "S", 1)
    s.unit("Allocated", "A", "KD21", 2)
    s.graded("A", "E", 3)
    s.unit("Arrived", "A", "KD21", 70)
    s.closed("A", 90, outcome="advice given")
    assert _phrases(s, "A") == [
        "first call c1 (999)",
        "graded S (target 1 h)",
        "KD21 allocated",
        "grade S → E (downgrade)",
        "KD21 now at scene (first arrival, 1 h 10 min after the call)",
        "incident closed (advice given); KD21 released",
    ]


def test_losing_the_last_unit_is_said() -> None:
    """A diversion that leaves no unit says so; a unit back says that too."""
    s = Stream()
    s.unit("Allocated", "A", "KD21", 0)
    s.diverted("KD21", "A", "B", 5, by="unit")
    s.unit("Allocated", "A", "KD22", 9)
    assert _phrases(s, "A") == [
        "KD21 allocated",
        "KD21 diverted to B (on its own initiative); the incident now has no unit",
        "KD22 allocated; the incident has a unit again",
    ]


def test_another_incidents_allocation_of_our_unit_leaves_us_but_is_not_our_event() -> None:
    """The unit has left (the state says so), but the timeline does not hold another
    incident's allocation (findings.md ruling 10)."""
    s = Stream()
    s.unit("Allocated", "A", "KD21", 0)
    s.call("B", "c9", 1)
    s.unit("Allocated", "B", "KD21", 2)
    assert _phrases(s, "A") == ["KD21 allocated", "", ""]
    state = fold(effective_events(s.events), "A", DEFAULT_POLICY)
    assert state.units["KD21"].status == "left-for-other-incident"
    assert [e.id for e in (item.event for item in state.events)] == [s.events[0].id]


def test_en_route_to_another_incident_is_leaving_this_one() -> None:
    """A unit committed here that goes en route elsewhere has left (ruling 3)."""
    s = Stream()
    s.unit("Allocated", "A", "K1", 0)
    s.unit("EnRoute", "B", "K1", 3)
    state = fold(effective_events(s.events), "A", DEFAULT_POLICY)
    assert state.units["K1"].status == "left-for-other-incident"
    assert state.committed == frozenset()


def test_closing_releases_every_unit_and_nothing_leaves_a_closed_incident() -> None:
    """After the closing a unit still listed here and seen elsewhere has not left us."""
    s = Stream()
    s.unit("Arrived", "A", "K1", 0)
    s.closed("A", 10)
    s.unit("Allocated", "B", "K1", 20)
    state = fold(effective_events(s.events), "A", DEFAULT_POLICY)
    assert state.units["K1"].status == "released-at-closing"
    assert [c.units for c in state.commitments] == [frozenset({"K1"}), frozenset()]


def test_step_returns_a_new_state_and_leaves_the_old_one_alone() -> None:
    """States are immutable: replay can keep every intermediate state."""
    s = Stream()
    s.unit("Allocated", "A", "KD21", 0)
    [item] = effective_events(s.events)
    empty = IncidentState("A")
    after, _, _ = step(empty, item, DEFAULT_POLICY)
    assert empty.units == {}
    assert after.committed == {"KD21"}


def test_unit_allocated_elsewhere_while_committed_has_left() -> None:
    """A unit allocated to or arriving at another incident has left this one."""
    s = Stream()
    s.unit("Allocated", "A", "K1", 0)
    s.unit("Arrived", "A", "K2", 1)
    s.unit("Arrived", "B", "K2", 2)
    state = fold(effective_events(s.events), "A", DEFAULT_POLICY)
    assert state.units["K2"].status == "left-for-other-incident"
    assert state.committed == {"K1"}


def test_cleared_unit_going_elsewhere_has_not_left() -> None:
    """A unit that cleared finished its part: a later job elsewhere changes nothing here."""
    s = Stream()
    s.unit("Allocated", "A", "K1", 0)
    s.unit("Cleared", "A", "K1", 30)
    s.unit("Allocated", "B", "K1", 40)
    state = fold(effective_events(s.events), "A", DEFAULT_POLICY)
    assert state.units["K1"].status == "cleared"
    assert [entry.status for entry in state.unit_log] == ["allocated", "cleared"]


def test_diversion_names_two_incidents_and_each_state_sees_its_side() -> None:
    """Diverted away from A, committed to B."""
    s = Stream()
    s.unit("Allocated", "A", "K1", 0)
    s.diverted("K1", "A", "B", 5)
    effective = effective_events(s.events)
    assert fold(effective, "A", DEFAULT_POLICY).units["K1"].status == "diverted-away"
    assert fold(effective, "B", DEFAULT_POLICY).units["K1"].status == "allocated"


def test_state_gathers_calls_grades_links_notes_plans_and_status() -> None:
    """The shared projection holds everything the views show."""
    s = Stream()
    s.call("A", "c1", 0, phone="07700 900123", summary="help")
    s.ended("c1", 3, how="caller-hung-up")
    s.graded("A", "S", 1, target="PT30M")
    s.classified("A", 2, category="domestic-abuse", domestic=True, flags=["children"])
    s.radio("T1", "KD21", "control", 4, incident="A")
    s.ack("T1", 5)
    s.linked("B", "A", 6, relation="repeat-call")
    s.noted("A", "caller known", 7)
    s.planned("A", "P1", 8, due=60 * 24)
    s.done("P1", 60 * 20)
    s.closed("A", 100)
    s.reopened("A", 110)
    state = fold(effective_events(s.events), "A", DEFAULT_POLICY)
    assert [(c.call, c.how) for c in state.calls] == [("c1", "caller-hung-up")]
    assert state.grade is not None
    assert (state.grade.grade, state.grade.target) == ("S", timedelta(minutes=30))
    assert state.classification is not None
    assert state.classification.domestic
    assert state.classification.flags == ("children",)
    assert state.transmissions["T1"].ack is not None
    assert [(link.other, link.relation) for link in state.links] == [("B", "repeat-call")]
    assert [note.text for note in state.notes] == ["caller known"]
    assert state.follow_ups["P1"].done is not None
    assert state.status == "reopened"
    assert [change.status for change in state.status_log] == ["closed", "reopened"]
    first = state.first_call
    assert first is not None
    assert first.at == s.time(0)


def test_markers_are_kept_as_they_stood_at_each_call() -> None:
    """A marker removed before the call is matched as removed, by folded key."""
    s = Stream()
    s.marker("premises", "FLAT 3, 27 NOWHERE ROAD", -60 * 24 * 120)
    removal = s.marker("premises", "Flat 3 27 Nowhere Road", -60 * 24 * 100, removed=True)
    s.marker("phone", "+44 7700 900123", -60)
    s.call("A", "c1", 0, phone="07700900123", address="flat 3, 27 nowhere road")
    s.marker("phone", "07700 900123", 10, removed=True)
    state = fold(effective_events(s.events), "A", DEFAULT_POLICY)
    stood = {m.record.key: (m.record.active, m.record.removed) for m in state.markers}
    assert stood == {
        "premises:flat 3 27 nowhere road": (False, removal),
        "phone:07700900123": (True, None),
    }


def test_end_of_a_call_recorded_before_the_call_still_attaches() -> None:
    """Evidence out of order: a CallEnded appended and timed before its CallReceived."""
    s = Stream()
    s.ended("c1", 0, how="line-dropped")
    s.call("A", "c1", 0)
    state = fold(effective_events(s.events), "A", DEFAULT_POLICY)
    assert state.calls[0].how == "line-dropped"
