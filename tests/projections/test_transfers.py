"""A hand-over between forces: it shows in both incidents' timelines and links them both ways."""

from __future__ import annotations

from projections.analysis.compute import analyse_all
from projections.analysis.view import View
from tests.projections.factory import Stream


def _handed_over() -> Stream:
    s = Stream()
    s.call("GW-1", "c1", 0, summary="he will come back to kill her")
    s.graded("GW-1", "I", 1)
    s.transferred(
        "GW-1", 2, to_agency="South Wales Police", to_incident="SWP-1", grade="I", to_grade="S"
    )
    s.graded("SWP-1", "S", 3)
    return s


def test_the_transfer_is_on_both_timelines_with_what_it_changed() -> None:
    """The sender sees it handed on, the receiver sees it arrive, each with its own phrase."""
    views = analyse_all(_handed_over().events, View()).incidents
    sent = [e for e in views["GW-1"].timeline if e.event.type == "IncidentTransferred"]
    got = [e for e in views["SWP-1"].timeline if e.event.type == "IncidentTransferred"]
    assert [e.change for e in sent] == [
        "handed to South Wales Police as SWP-1; passed on as I; graded S there"
    ]
    assert [e.change for e in got] == ["transferred here from GW-1; graded S here"]
    assert sent[0].what.startswith("GW-1 handed to South Wales Police as SWP-1 (grade I, received")


def test_the_transfer_links_the_two_incidents_both_ways() -> None:
    """Each state lists the other as a `transfer` link, as an IncidentLinked would."""
    views = analyse_all(_handed_over().events, View()).incidents
    assert [(link.other, link.relation) for link in views["GW-1"].state.links] == [
        ("SWP-1", "transfer")
    ]
    assert [(link.other, link.relation) for link in views["SWP-1"].state.links] == [
        ("GW-1", "transfer")
    ]


def test_one_incident_asked_alone_gives_the_same_findings_as_all() -> None:
    """Ruling 1 in the pipeline: the sender's findings, asked alone, need the receiver's."""
    s = Stream()
    s.call("GW-1", "c1", 0, summary="a knife")
    s.graded("GW-1", "I", 1)
    s.transferred("GW-1", 2, to_incident="SWP-1")
    s.graded("SWP-1", "S", 3)
    every = analyse_all(s.events, View()).findings()
    alone = [
        f
        for name in ("GW-1", "SWP-1")
        for f in analyse_all(s.events, View(), incidents=[name]).findings()
    ]
    assert sorted(f.code for f in every) == sorted(f.code for f in alone)
    assert {"transfer-urgency-lost", "transfer-facts-lost"} <= {f.code for f in every}
