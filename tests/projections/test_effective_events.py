"""Effective events: corrections applied, retractions removed, `at`/`as_known_at`, order."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from ledger.events import CallReceived, IncidentGraded
from projections.analysis.effective import effective_events
from tests.projections.factory import Stream


def _ids(stream: Stream, as_known_at: datetime | None = None) -> list[str]:
    return [item.id for item in effective_events(stream.events, as_known_at=as_known_at)]


def test_correction_changes_the_value_views_see_and_keeps_the_original() -> None:
    """A corrected grading shows the new grade, the original, and which correction applied."""
    s = Stream()
    grading = s.graded("A", "S", 1)
    fix = s.corrected(grading, 30, grade="I")
    [item] = effective_events(s.events)
    assert isinstance(item.event, IncidentGraded)
    assert item.event.grade == "I"
    assert isinstance(item.original, IncidentGraded)
    assert item.original.grade == "S"
    assert item.corrected_by == (fix.id,)


def test_corrections_apply_in_ledger_order_not_append_order() -> None:
    """Two corrections of one field: the one later in time wins, whatever the append order."""
    s = Stream()
    grading = s.graded("A", "S", 1)
    s.corrected(grading, 30, grade="I")
    s.corrected(grading, 20, grade="E")
    [item] = effective_events(s.events)
    assert isinstance(item.event, IncidentGraded)
    assert item.event.grade == "I"


def test_corrections_at_the_same_time_apply_in_append_order() -> None:
    """Two corrections of one field made at the same instant: the later-appended one wins."""
    s = Stream()
    grading = s.graded("A", "S", 1)
    s.corrected(grading, 20, grade="I")
    s.corrected(grading, 20, grade="E")
    [item] = effective_events(s.events)
    assert isinstance(item.event, IncidentGraded)
    assert item.event.grade == "E"


def test_a_dotted_key_corrects_one_nested_field_and_keeps_the_rest() -> None:
    """`caller.phone` changes the phone and leaves the caller's name as it was."""
    s = Stream()
    call = s.call("A", "c1", 0, phone="07700 900001")
    s.add(
        "EventCorrected",
        5,
        corrects=call.id,
        changes={"caller.phone": "07700 900002"},
        reason="misheard",
    )
    [item] = effective_events(s.events)
    assert isinstance(item.event, CallReceived)
    assert item.event.caller is not None
    assert item.event.caller.phone == "07700 900002"


def test_correction_of_a_time_reorders_the_event() -> None:
    """A corrected `at` places the event at its corrected time."""
    s = Stream()
    early = s.graded("A", "S", 1)
    s.call("A", "c1", 5)
    s.corrected(early, 30, at=s.time(10).isoformat())
    assert _ids(s) == ["e-0002", "e-0001"]


def test_retracted_event_and_the_meta_events_leave_the_views() -> None:
    """A retraction removes its target; corrections and retractions never appear."""
    s = Stream()
    call = s.call("A", "c1", 0)
    s.graded("A", "S", 1)
    s.retracted(call, 5)
    assert _ids(s) == ["e-0002"]


def test_retracted_correction_no_longer_applies() -> None:
    """Retracting a correction restores the value it changed."""
    s = Stream()
    grading = s.graded("A", "S", 1)
    fix = s.corrected(grading, 2, grade="I")
    s.retracted(fix, 3)
    [item] = effective_events(s.events)
    assert isinstance(item.event, IncidentGraded)
    assert (item.event.grade, item.corrected_by) == ("S", ())


def test_retracted_retraction_restores_its_target() -> None:
    """Retracting a retraction brings the event back."""
    s = Stream()
    call = s.call("A", "c1", 0)
    retraction = s.retracted(call, 2)
    s.retracted(retraction, 3)
    assert _ids(s) == [call.id]


def test_corrected_correction_applies_its_corrected_changes() -> None:
    """A correction of a correction changes what the first correction does."""
    s = Stream()
    grading = s.graded("A", "S", 1)
    fix = s.corrected(grading, 2, grade="I")
    s.corrected(fix, 3, changes={"grade": "E"})
    [item] = effective_events(s.events)
    assert isinstance(item.event, IncidentGraded)
    assert item.event.grade == "E"


def test_correction_that_would_be_invalid_is_skipped() -> None:
    """A combined result that fails validation leaves the event as it was."""
    s = Stream()
    grading = s.graded("A", "S", 10, recorded_at=10)
    s.corrected(grading, 20, at=s.time(15).isoformat())  # after its recorded_at: invalid
    [item] = effective_events(s.events)
    assert (item.event.at, item.corrected_by) == (s.time(10), ())


def test_as_known_at_ignores_what_was_recorded_later() -> None:
    """Events, corrections and retractions recorded after T do not count."""
    s = Stream()
    call = s.call("A", "c1", 0)
    grading = s.graded("A", "S", 1)
    s.corrected(grading, 30, grade="I")
    s.retracted(call, 40)
    s.add("UnitArrived", 5, incident="A", unit="K1", recorded_at=60)
    known = effective_events(s.events, as_known_at=s.time(20))
    assert [item.id for item in known] == [call.id, grading.id]
    assert isinstance(known[1].event, IncidentGraded)
    assert known[1].event.grade == "S"


def test_at_keeps_only_what_had_happened_by_then() -> None:
    """Events after T by `at` have not happened yet; corrections apply whenever made."""
    s = Stream()
    grading = s.graded("A", "S", 1)
    s.call("A", "c1", 30)
    s.corrected(grading, 60, grade="I")
    items = effective_events(s.events, at=s.time(10))
    assert [item.id for item in items] == [grading.id]
    assert isinstance(items[0].event, IncidentGraded)
    assert items[0].event.grade == "I"


def test_events_sort_by_instant_then_append_order() -> None:
    """Lines need not be in time order; equal instants keep append order."""
    s = Stream()
    s.call("A", "c2", 5)
    s.call("A", "c1", 0)
    s.graded("A", "S", 5)
    assert _ids(s) == ["e-0002", "e-0001", "e-0003"]
    assert [item.seq for item in effective_events(s.events)] == [1, 0, 2]


@given(st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=12))
def test_effective_order_is_by_time_whatever_the_append_order(times: list[int]) -> None:
    """Without corrections every event appears once, in (at, append) order."""
    s = Stream()
    for index, minute in enumerate(times):
        s.call(f"I{index % 3}", f"c{index}", minute)
    items = effective_events(s.events)
    assert sorted(item.id for item in items) == sorted(e.id for e in s.events)
    assert [(i.at, i.seq) for i in items] == sorted((i.at, i.seq) for i in items)


@given(st.lists(st.integers(min_value=0, max_value=120), min_size=1, max_size=12))
def test_as_known_at_the_latest_record_changes_nothing(times: list[int]) -> None:
    """Knowing everything recorded so far is the same as no `as_known_at`."""
    s = Stream()
    for index, minute in enumerate(times):
        event = s.call("A", f"c{index}", minute)
        if index % 4 == 3:
            s.retracted(event, max(times))
    latest = max(e.known_at for e in s.events)
    assert _ids(s, as_known_at=latest) == _ids(s)
    assert all(isinstance(i.event, CallReceived) for i in effective_events(s.events))
