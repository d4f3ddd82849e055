"""The regex time reader agrees with strptime: same time when it reads, strptime's say otherwise."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.inputs.csv.cells import TimeReader, format_problem
from ledger.inputs.csv.fasttime import compile_format, quick_read

FORMATS = [
    "%m/%d/%Y %I:%M:%S %p",  # SFFD
    "%m/%d/%y %H:%M",  # Virginia Beach
    "%Y-%m-%dT%H:%M:%S.%f",
    "%d.%m.%Y %H:%M:%S",
]


@pytest.mark.parametrize("fmt", FORMATS)
@given(when=st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2068, 12, 31)))
def test_quick_reader_gives_what_strptime_gives_for_written_times(fmt: str, when: datetime) -> None:
    """Any time written in the format reads back the same through the regex and through strptime."""
    pattern = compile_format(fmt)
    assert pattern is not None
    text = when.strftime(fmt)
    assert quick_read(pattern, text) == datetime.strptime(text, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
@given(text=st.text(alphabet="0123456789/:.-T APMapm", max_size=24))
def test_quick_reader_never_accepts_what_strptime_refuses(fmt: str, text: str) -> None:
    """On arbitrary text the regex either declines (None) or agrees with strptime exactly."""
    pattern = compile_format(fmt)
    assert pattern is not None
    quick = quick_read(pattern, text)
    if quick is not None:
        assert quick == datetime.strptime(text, fmt)


def test_formats_with_other_directives_are_left_to_strptime() -> None:
    """Month names, offsets and adjacent fields are strptime's: no regex is made for them."""
    assert compile_format("%d %b %Y %H:%M") is None
    assert compile_format("%Y-%m-%dT%H:%M:%S%z") is None
    assert compile_format("%Y%m%d %H%M") is None


def test_reader_falls_back_to_strptime_for_what_the_regex_declines() -> None:
    """A space-padded day, which strptime takes and the regex does not, still reads."""
    reader = TimeReader(("%m/%d/%Y %H:%M",), ZoneInfo("UTC"))
    assert reader.read("10/ 8/2019 13:05") == (datetime(2019, 10, 8, 13, 5, tzinfo=UTC), "minute")


def test_offset_in_the_cell_is_kept_whatever_the_zone() -> None:
    """A %z format keeps the offset written in the cell; the mapping's zone is not applied."""
    assert format_problem("%Y-%m-%d %H:%M:%S%z") is None
    reader = TimeReader(("%Y-%m-%d %H:%M:%S%z",), ZoneInfo("America/Los_Angeles"))
    when, _ = reader.read("2019-10-18 00:03:52+0100")
    assert when.isoformat() == "2019-10-18T00:03:52+01:00"
