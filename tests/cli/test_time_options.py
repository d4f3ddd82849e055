"""`--at`, `--as-known-at`, `--since`, `--until`: read as stream times are (ledger.instants)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.streams_factory import BASIC, write


@pytest.fixture
def store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    CliRunner().invoke(main, ["--store", url, "import", str(write(tmp_path / "s.jsonl", BASIC))])
    return url


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("findings", "--at", "1527807600"), "'1527807600' is not a time: write RFC 3339"),
        (("findings", "--as-known-at", "2018-06-01T00:30:00+0100"), "is not a time"),
        (("timeline", "CAD-1", "--at", "2018-06-01_00:30:00Z"), "is not a time"),
        (("findings", "--at", "0001-01-01T00:00:00+00:01"), "outside years 0001-9999"),
        (("incidents", "--since", "9999-12-31T23:59:00-01:00"), "outside years 0001-9999"),
        (("export", "--format", "md", "--at", "1527807600"), "--at: '1527807600' is not a time"),
        (
            ("export", "--format", "csv", "--until", "9999-12-31T23:59:00-01:00"),
            "--until: 9999-12-31T23:59:00-01:00 is outside years 0001-9999",
        ),
    ],
)
def test_a_time_option_the_ledger_cannot_use_is_bad_usage(
    store: str, args: tuple[str, ...], message: str
) -> None:
    """Unix times, offsets without a colon, `_` for T, instants off the calendar: exit 2."""
    result = CliRunner().invoke(main, ["--store", store, *args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("findings", "--at", "2018-06-01t00:30:00z"),
        ("findings", "--as-known-at", "2018-06-01"),
        ("export", "--format", "md", "--since", "2018-05-31T00:00:00+01:00"),
    ],
)
def test_rfc_3339_times_and_bare_dates_are_taken(store: str, args: tuple[str, ...]) -> None:
    """Lower-case t and z are RFC 3339; a date alone is its first instant in UTC."""
    result = CliRunner().invoke(main, ["--store", store, *args])
    assert result.exit_code == 0, result.output
