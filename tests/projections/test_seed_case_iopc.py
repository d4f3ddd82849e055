"""The seed case (IOPC 2018/104370), rebuilt with the factory: evaluate finds its gaps.

A woman's 999 call at 23:54 mentions her ex-husband; it is graded S and not classified
domestic. The premises marker had been removed in January. The one unit allocated diverts
itself to an immediate call, saying so in a radio message nobody acknowledges, and control,
unaware, sends nobody else until officers see her at hospital at 03:00. Her 02:30 call from
hospital is put down by the handler.
"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from projections.analysis.policy import DEFAULT_POLICY
from tests.projections.factory import Stream, evaluate

HOME = "Flat 3, 27 Nowhere Road, London"


def _seed() -> Stream:
    s = Stream()  # starts 2018-05-31 23:54 +01:00
    s.marker("premises", HOME.upper(), datetime(2017, 6, 1, tzinfo=UTC), precision="month")
    s.marker(
        "premises", HOME.upper(), datetime(2018, 1, 1, tzinfo=UTC), removed=True, precision="month"
    )
    s.call(
        "M",
        "call-1",
        0,
        phone="+44 7700 900123",
        address=HOME,
        summary="Banging on her door; she believes it may be her ex-husband.",
    )
    s.classified("M", 2, category="suspicious-circumstances", domestic=False)
    s.graded("M", "S", 2)
    s.unit("Allocated", "M", "CS41", 11)
    s.radio("tx-1", "CS41", "control", 21, incident="M", message="CS41 diverting to an I call")
    s.diverted("CS41", "M", "X", 21, by="unit", via="tx-1")
    s.call(
        "M",
        "call-2",
        156,
        phone="07700900123",
        address="Nowhere General Hospital",
        summary="At hospital: her ex-husband kicked open her door and assaulted her.",
    )
    s.ended("call-2", 159, how="handler-terminated")
    s.unit("Arrived", "M", "CS52", 186)
    s.unit("Cleared", "M", "CS52", 306)
    s.closed("M", 366, outcome="crime recorded")
    return s


def test_seed_case_gives_the_investigators_gaps() -> None:
    """Every gap the IOPC found surfaces as a finding on the incident, in order."""
    s = _seed()
    found = evaluate(s.events, DEFAULT_POLICY)
    got = {(f.code, f.incident): f for f in found}
    assert sorted(got) == [
        ("call-cut-off-without-callback", "M"),
        ("diversion-unknown-to-control", "M"),
        ("marker-removed-before-call", "M"),
        ("possible-domestic-not-flagged", "M"),
        ("response-target-missed", "M"),
        ("transmission-unacknowledged", "M"),
        ("unresourced-after-diversion", "M"),
    ]
    diverted, ended, closed = s.time(21), s.time(186), s.time(366)
    unresourced = got["unresourced-after-diversion", "M"]
    assert (unresourced.start, unresourced.end) == (diverted, ended)  # CS52's arrival
    unknown = got["diversion-unknown-to-control", "M"]
    assert (unknown.start, unknown.end, unknown.evidence) == (
        diverted,
        closed,
        ("e-0008", "e-0007", "e-0013"),  # the diversion, its message, the closing
    )
    radio = got["transmission-unacknowledged", "M"]
    assert (radio.start, radio.end) == (diverted, closed)
    marker = got["marker-removed-before-call", "M"]
    assert marker.evidence == ("e-0003", "e-0002")
    assert marker.approximate  # the removal is only known to the month
    domestic = got["possible-domestic-not-flagged", "M"]
    assert (domestic.start, domestic.end) == (s.time(0), closed)
    assert got["call-cut-off-without-callback", "M"].severity == "high"
    assert [f.start for f in found] == sorted(f.start for f in found)


def test_seed_case_as_control_knew_it_that_night_misses_nothing_it_could_see() -> None:
    """At 00:30 the unacknowledged message is already a finding; the target is not yet."""
    s = _seed()
    codes = {f.code for f in evaluate(s.events, DEFAULT_POLICY, at=s.time(36))}
    assert codes == {
        "marker-removed-before-call",
        "possible-domestic-not-flagged",
        "transmission-unacknowledged",
        "diversion-unknown-to-control",
        "unresourced-after-diversion",
    }


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(len(_seed().events))))
def test_seed_case_findings_do_not_depend_on_the_order_lines_arrive(order: list[int]) -> None:
    """Evidence arrives late: any append order of the same events gives the same findings."""
    events = _seed().events
    shuffled = [events[index] for index in order]
    assert evaluate(shuffled, DEFAULT_POLICY) == evaluate(events, DEFAULT_POLICY)


def test_evaluating_one_incident_gives_its_share_of_all_findings() -> None:
    """Naming the incident gives exactly its findings from the whole evaluation."""
    s = _seed()
    s.call("Q", "call-9", 10, phone="07700 900999", summary="partner shouting")
    everything = evaluate(s.events, DEFAULT_POLICY)
    assert evaluate(s.events, DEFAULT_POLICY, incidents=["M"]) == [
        f for f in everything if f.incident == "M"
    ]
