"""The one reader of times (ledger.instants) and of durations (ledger.durations)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ledger.durations import LONGEST, DurationError, parse_duration
from ledger.instants import EARLIEST, LATEST, InstantError, parse_instant

BST = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2018-06-01T00:30:00+01:00",
            datetime(2018, 6, 1, 0, 30, tzinfo=timezone(timedelta(hours=1))),
        ),
        ("2018-06-01t00:30:00z", datetime(2018, 6, 1, 0, 30, tzinfo=UTC)),
        (" 0001-01-01T00:00:00Z ", EARLIEST),
        ("9999-12-31T23:59:59.999999Z", LATEST),
    ],
)
def test_an_rfc_3339_time_with_an_offset_is_read(text: str, expected: datetime) -> None:
    """Offsets and `Z` in either case; surrounding blanks are ignored."""
    assert parse_instant(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1527807600", "is not a time: write RFC 3339"),
        ("2018-06-01T00:30:00+0100", "is not a time: write RFC 3339"),
        ("2018-06-01_00:30:00Z", "is not a time: write RFC 3339"),
        ("2018-06-01", "is not a time: write RFC 3339"),
        ("2018-06-01T00:30:00", "has no UTC offset"),
        ("2018-02-30T00:30:00Z", "is not a time: day value is outside expected range"),
        ("0001-01-01T00:30:00+01:00", "outside years 0001-9999"),
        ("9999-12-31T23:30:00-01:00", "outside years 0001-9999"),
        ("10000-01-01T00:00:00Z", "is not a time: write RFC 3339"),
    ],
)
def test_anything_else_is_refused_saying_why(text: str, reason: str) -> None:
    """Unix times, offsets without a colon, missing offsets, impossible dates, the edges."""
    with pytest.raises(InstantError, match=reason):
        parse_instant(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT15M", timedelta(minutes=15)),
        ("p1dt2h30m", timedelta(days=1, hours=2, minutes=30)),
        ("P2W", timedelta(weeks=2)),
        ("PT0.5S", timedelta(milliseconds=500)),
        (f"P{LONGEST.days}D", timedelta(days=LONGEST.days)),
    ],
)
def test_an_iso_8601_duration_is_read_exactly(text: str, expected: timedelta) -> None:
    """Weeks to seconds, decimals included, up to the length of the calendar."""
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("P1Y", "is not an ISO 8601 duration"),
        ("P1M", "is not an ISO 8601 duration"),
        ("PT", "is not an ISO 8601 duration"),
        ("P1DT", "is not an ISO 8601 duration"),
        ("-PT5M", "is not an ISO 8601 duration"),
        (f"P{LONGEST.days + 1}D", "longer than the 9999 years"),
        ("P999999999D", "longer than the 9999 years"),
        ("PT" + "9" * 500 + "H", "longer than the 9999 years"),
        ("P" + "9" * 30 + ".5W", "longer than the 9999 years"),
    ],
)
def test_a_duration_the_ledger_cannot_add_is_refused(text: str, reason: str) -> None:
    """Years and months, empty designators, and anything longer than the calendar itself."""
    with pytest.raises(DurationError, match=reason):
        parse_duration(text)
