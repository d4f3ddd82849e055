"""repeat-contact-not-linked: a call repeats another incident's call and they are not linked."""

from __future__ import annotations

from datetime import timedelta

from tests.projections.factory import Stream, found, minutes

CODE = "repeat-contact-not-linked"


def _repeat() -> Stream:
    s = Stream()
    s.call("A", "c1", 0, phone="07700 900123")
    s.call("B", "c2", 60, phone="+44 7700 900123")
    return s


def test_repeat_call_on_another_incident_unlinked_is_a_finding() -> None:
    """Same phone (+44 folded to 0), not linked within 10 min: on the later call's incident."""
    s = _repeat()
    [finding] = found(s, CODE, clock=100)
    assert (finding.incident, finding.severity) == ("B", "medium")
    assert (finding.start, finding.end, finding.evidence) == (
        s.time(60),
        None,
        ("e-0002", "e-0001"),
    )


def test_link_exactly_at_the_grace_is_in_time() -> None:
    """Within includes its last instant."""
    s = _repeat()
    s.linked("B", "A", 70, relation="repeat-call")
    assert found(s, CODE, clock=100) == []


def test_link_one_second_late_ends_the_finding() -> None:
    """One second over the grace: a finding ending at the link."""
    s = _repeat()
    s.linked("A", "B", minutes(70, 1))
    [finding] = found(s, CODE, clock=100)
    assert finding.end == s.time(minutes(70, 1))


def test_link_through_another_incident_counts() -> None:
    """Linked through a third incident is linked."""
    s = _repeat()
    s.linked("A", "C", 10)
    s.linked("C", "B", 65)
    assert found(s, CODE, clock=100) == []


def test_earlier_call_exactly_at_the_repeat_window_counts() -> None:
    """28 days before is within the window; 28 days and a second is not."""
    s = Stream()
    s.call("A", "c1", 0, address="1 High St")
    s.call("B", "c2", s.time(0) + timedelta(days=28), address="1 HIGH ST")
    s.call("C", "c3", s.time(0) + timedelta(days=28, seconds=1), address="1 high st.")
    later = found(s, CODE, clock=timedelta(days=29))
    assert [f.incident for f in later] == ["B", "C"]
    assert later[1].evidence == ("e-0003", "e-0002")  # C repeats B's call, not A's


def test_calls_on_the_same_incident_are_never_repeats() -> None:
    """A second call on the same incident is not a repeat contact."""
    s = Stream()
    s.call("A", "c1", 0, phone="07700 900123")
    s.call("A", "c2", 30, phone="07700 900123")
    assert found(s, CODE, clock=100) == []


def test_one_finding_per_pair_of_incidents() -> None:
    """Further repeats between the same two incidents add nothing."""
    s = _repeat()
    s.call("B", "c3", 80, phone="07700900123")
    s.call("A", "c4", 90, phone="07700900123")
    assert len(found(s, CODE, clock=200)) == 1


def test_calls_without_phone_or_address_match_nothing() -> None:
    """No keys, no repeat."""
    s = Stream()
    s.call("A", "c1", 0)
    s.call("B", "c2", 5)
    assert found(s, CODE, clock=100) == []


def test_closing_within_the_grace_counts_as_not_linked() -> None:
    """The later call's incident closing inside the grace: finding to the closing, citing it."""
    s = _repeat()
    s.closed("B", 65)
    [finding] = found(s, CODE, clock=65)
    assert (finding.end, finding.evidence) == (s.time(65), ("e-0002", "e-0001", "e-0003"))


def test_a_transfer_between_the_incidents_links_them() -> None:
    """A hands over to B within the grace: linked as a transfer would be, no finding."""
    s = _repeat()
    s.transferred("A", 65, to_incident="B")
    assert found(s, CODE, clock=100) == []


def test_a_transfer_to_an_agency_with_no_incident_named_links_nothing() -> None:
    """No to_incident: there is nothing in the ledger to link to."""
    s = _repeat()
    s.transferred("A", 65)
    assert len(found(s, CODE, clock=100)) == 1
