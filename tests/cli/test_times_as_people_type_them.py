"""Item 9: incidents and unit take --at/--as-known-at; a date, or a time without an offset, is
read in the display zone, and the command says how it read it."""

from __future__ import annotations

import json

import pytest

from tests.cli.support import ok, seeded


@pytest.fixture
def store(store_url: str) -> list[str]:
    return seeded(store_url)


def test_incidents_at_a_date_is_the_start_of_that_day_in_the_ledgers_zone(
    store: list[str],
) -> None:
    """At the start of 31 May (BST) only the earlier incident exists."""
    ran = ok(*store, "incidents", "--at", "2018-05-31", "--format", "json")
    assert ran.err.splitlines()[0] == (
        "--at 2018-05-31 read as 2018-05-31T00:00:00+01:00 (the start of that day in Europe/London)"
    )
    assert [row["incident"] for row in json.loads(ran.out)] == ["MPS-2018-0527-0311"]


def test_unit_as_known_at_a_local_time_leaves_out_what_was_recorded_later(
    store: list[str],
) -> None:
    """At 00:30 the control room had the allocation and the message, not the diversion."""
    ran = ok(*store, "unit", "CS41", "--as-known-at", "2018-06-01 00:30", "--format", "json")
    assert ran.err.splitlines()[0] == (
        "--as-known-at 2018-06-01 00:30 read as 2018-06-01T00:30:00+01:00 (Europe/London)"
    )
    assert [r["event"] for r in json.loads(ran.out)] == ["mps-e08", "mps-e09"]
    later = json.loads(
        ok(*store, "unit", "CS41", "--at", "2018-06-01T00:30", "--format", "json").out
    )
    assert [r["event"] for r in later] == ["mps-e08", "mps-e09", "mps-e16"]


def test_another_display_zone_reads_the_same_words_as_another_instant(store: list[str]) -> None:
    """--timezone both shows and reads: 2018-05-31 in New York starts at 05:00 in London."""
    ran = ok(*store, "incidents", "--at", "2018-05-31", "--timezone", "America/New_York")
    assert ran.err.splitlines()[0] == (
        "--at 2018-05-31 read as 2018-05-31T00:00:00-04:00 (the start of that day in "
        "America/New_York)"
    )


@pytest.mark.parametrize(
    ("given", "read"),
    [
        (
            "2018-03-25T01:30",
            "2018-03-25T01:30:00+00:00 (Europe/London, a time the clocks skipped: read with the "
            "offset before the change)",
        ),
        (
            "2018-10-28T01:30",
            "2018-10-28T01:30:00+01:00 (Europe/London, a time that happened twice as the clocks "
            "went back: read as the first)",
        ),
    ],
)
def test_times_the_clock_change_skips_or_repeats_say_how_they_were_read(
    store: list[str], given: str, read: str
) -> None:
    """No silent guess at a clock change: the reading is said."""
    ran = ok(*store, "findings", "--at", given, "--format", "json")
    assert ran.err.splitlines()[0] == f"--at {given} read as {read}"


def test_a_time_with_an_offset_is_taken_as_written_and_not_remarked_on(store: list[str]) -> None:
    """Nothing to say when the time is unambiguous."""
    ran = ok(*store, "incidents", "--at", "2018-06-01T00:30:00+01:00", "--format", "json")
    assert not ran.err.startswith("--at"), ran.err
