"""Item 7: one zone per output: --timezone, else the ledger's (set at its first import), else
UTC; named in every header; machine formats keep the offset each event was recorded with."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.support import REPO, ok, run

MIXED = REPO / "tests" / "streams" / "mixed-utc-offsets" / "mixed-utc-offsets.jsonl"
SFFD = REPO / "tests" / "data" / "sffd_per_unit_calls_sample.csv"


def _times(store: list[str], *args: str) -> list[str]:
    out = ok(*store, "timeline", "INC-MX1", *args, "--format", "md").out
    return [line.split(" | ")[0][2:] for line in out.splitlines() if line.startswith("| 2024")]


def test_events_recorded_in_three_offsets_read_in_one_zone(store_url: str) -> None:
    """+01:00, -05:00 and Z, recorded minutes apart, show in order in the ledger's zone."""
    store = ["--store", store_url]
    ok(*store, "import", "--timezone", "Europe/London", str(MIXED))
    assert _times(store)[:3] == [
        "2024-06-01 10:00:00 +01:00",
        "2024-06-01 10:01:00 +01:00",
        "2024-06-01 10:03:00 +01:00",
    ]
    assert _times(store, "--timezone", "America/New_York")[:2] == [
        "2024-06-01 05:00:00 -04:00",
        "2024-06-01 05:01:00 -04:00",
    ]


def test_machine_formats_keep_the_offset_each_event_was_recorded_with(store_url: str) -> None:
    """json gives the events as imported, whatever the display zone."""
    store = ["--store", store_url]
    ok(*store, "import", "-q", "--timezone", "Europe/London", str(MIXED))
    events = json.loads(ok(*store, "timeline", "INC-MX1", "--format", "json").out)
    assert [e["at"] for e in events[:3]] == [
        "2024-06-01T10:00:00+01:00",
        "2024-06-01T04:01:00-05:00",
        "2024-06-01T09:03:00Z",
    ]


def test_without_a_zone_times_are_utc_and_the_header_says_why(store_url: str) -> None:
    """No --timezone at import nor now: UTC, and the header says the ledger has none."""
    store = ["--store", store_url]
    ok(*store, "import", "-q", str(MIXED))
    ran = ok(*store, "incidents", "--format", "csv")
    assert ran.err == (
        "clock 2024-06-02 09:29:00 +00:00 (the ledger's latest time) · policy built-in · zone "
        "UTC (the ledger has none)\n"
    )
    assert _times(store)[0] == "2024-06-01 09:00:00 +00:00"
    assert ok(*store, "verify").err.splitlines()[0] == (
        "time zone none set: views show UTC (import with --timezone ZONE to set it)"
    )


def test_first_import_naming_a_zone_sets_it_and_later_ones_do_not(store_url: str) -> None:
    """The zone is the ledger's own: verify shows it; another import cannot move it."""
    store = ["--store", store_url]
    first = ok(*store, "import", "--timezone", "Europe/London", str(MIXED))
    assert (
        first.err.splitlines()[1] == "the ledger's time zone is now Europe/London (from --timezone)"
    )
    again = ok(*store, "import", "--timezone", "Asia/Tokyo", str(MIXED))
    assert again.err.splitlines()[1] == (
        "note: the ledger's time zone stays Europe/London, set by an earlier import; "
        "Asia/Tokyo (from --timezone) was not stored"
    )
    assert ok(*store, "verify").err.splitlines()[0] == "time zone Europe/London"
    assert json.loads(ok(*store, "verify", "--format", "json").out)["timezone"] == "Europe/London"


def test_a_csv_mapping_gives_the_ledger_its_zone(store_url: str, tmp_path: Path) -> None:
    """import-csv through the SFFD mapping: the ledger's zone is the mapping's, and the
    mapping's grade codes are warned of under the built-in policy (ruling 11)."""
    sample = tmp_path / "calls.csv"
    sample.write_text("".join(SFFD.read_text(encoding="utf-8").splitlines(True)[:3]))
    store = ["--store", store_url]
    mapping = REPO / "mappings" / "sffd.toml"
    ran = ok(*store, "import-csv", str(sample), "--mapping", str(mapping))
    assert ran.err.splitlines()[1:] == [
        f"the ledger's time zone is now America/Los_Angeles (from the mapping {mapping})",
        "warning: grade code C3 is not in the policy in force (built-in: I, S, E, R): "
        "incidents graded with it get no response target, attendance or downgrade check; give "
        "a policy that lists it (--policy FILE)",
    ]
    assert ok(*store, "verify").err.splitlines()[0] == "time zone America/Los_Angeles"


def test_an_unknown_zone_is_exit_2_naming_the_closest(tmp_path: Path) -> None:
    """A misspelt IANA name is bad usage, before anything is read or written."""
    ran = run("--store", f"sqlite:///{tmp_path / 'l.db'}", "import", "--timezone",
              "Europe/Lndon", str(MIXED))  # fmt: skip
    assert ran.code == 2, ran.both
    assert ran.err.splitlines()[-1] == (
        "Error: Invalid value for '--timezone': 'Europe/Lndon' is not an IANA time zone (e.g. "
        "Europe/London, America/New_York, UTC); did you mean Europe/London, Europe/Lisbon, "
        "Europe/Andorra?"
    )
    assert not (tmp_path / "l.db").exists()
