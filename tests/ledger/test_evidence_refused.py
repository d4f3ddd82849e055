"""Commands that produce evidence refuse a ledger that fails verification, and read commands
refuse read-model rows edited or removed outside the ledger (exit 3, never served as fine)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cli.main import main
from projections.readmodels import seals
from tests.streams_factory import BASIC, event, write
from tests.support.tampering import drop_guards, raw

INCIDENT = "MPS-2018-0531-8842"


def _run(store_url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--store", store_url, *args])


@pytest.fixture
def seeded(store_url: str, seed_stream: Path) -> str:
    """The seed case imported, its read models built by a first `findings`."""
    result = _run(store_url, "import", str(seed_stream))
    assert result.exit_code == 0, result.output
    result = _run(store_url, "findings", "--format", "json")
    assert result.exit_code == 0, result.output
    return store_url


def _tamper(store_url: str, *statements: str) -> None:
    with raw(store_url) as (conn, table):
        drop_guards(conn, table)
        for statement in statements:
            conn.execute(statement.format(t=table))


RENAME = "UPDATE {t} SET originator_id = 'forged' WHERE originator_id = 'mps-e05'"
UNFILE = "DELETE FROM ledger_index WHERE ref = 'i:" + INCIDENT + "' AND notification_id > 8"


@pytest.mark.parametrize(
    "how",
    [
        ["--format", "jsonl", "-o"],
        ["--format", "csv", "-o"],
        ["--format", "md", "-o"],
        ["--format", "html", "-o"],
        ["--format", "eido", "-o"],
        ["--bundle"],  # so no manifest carries the good head
    ],
    ids=["jsonl", "csv", "md", "html", "eido", "bundle"],
)
def test_export_refuses_a_ledger_that_fails_verification(
    seeded: str, tmp_path: Path, how: list[str]
) -> None:
    """Every export format, and a bundle, refuses a ledger with a renamed event id, writing
    nothing."""
    _tamper(seeded, RENAME)
    out = tmp_path / "out"
    result = _run(seeded, "export", "--incident", INCIDENT, *how, str(out))
    assert result.exit_code == 3, result.output
    assert "the ledger fails verification: event #" in result.output
    assert "stored under id 'forged'" in result.output
    assert "nothing was exported: run `ledger verify`" in result.output
    assert not out.exists()


def test_a_whole_stream_export_refuses_an_unfiled_event(seeded: str) -> None:
    """`export` of the whole stream to standard output refuses before writing a line."""
    _tamper(seeded, UNFILE)
    result = _run(seeded, "export")
    assert result.exit_code == 3, result.output
    assert result.output.startswith("Error: the ledger fails verification: event #9"), result.output


def test_rebuild_refuses_a_ledger_whose_index_rows_were_removed(seeded: str) -> None:
    """`rebuild` refuses, instead of caching an incident with only some of its events."""
    _tamper(seeded, UNFILE)
    result = _run(seeded, "rebuild")
    assert result.exit_code == 3, result.output
    assert f"is not filed under 'i:{INCIDENT}'" in result.output
    assert "nothing was rebuilt" in result.output


def test_rebuild_refuses_a_changed_type(seeded: str) -> None:
    """`rebuild` refuses a ledger whose stored type was changed (it would fail forever)."""
    _tamper(seeded, "UPDATE {t} SET topic = 'IncidentClosed' WHERE originator_id = 'mps-e05'")
    result = _run(seeded, "rebuild")
    assert result.exit_code == 3, result.output
    assert "stored with type 'IncidentClosed'" in result.output


def test_deleted_finding_rows_fail_instead_of_passing(seeded: str) -> None:
    """Deleting rm_findings rows makes `findings --fail-on high` exit 3, not 0."""
    _tamper(seeded, "DELETE FROM rm_findings WHERE severity = 'high'")
    result = _run(seeded, "findings", "--fail-on", "high")
    assert result.exit_code == 3, result.output
    assert "rm_findings" in result.output
    assert f"the rows of incident {INCIDENT!r} do not match their seal" in result.output


@pytest.mark.parametrize("fmt", ["csv", "md"])  # html and eido compute from the events
def test_an_export_refuses_deleted_finding_rows_instead_of_reporting_fewer(
    seeded: str, fmt: str
) -> None:
    """Reports built from the stored read models check their seals as the read commands do."""
    _tamper(seeded, "DELETE FROM rm_findings WHERE severity = 'high'")
    result = _run(seeded, "export", "--format", fmt)
    assert result.exit_code == 3, result.output
    assert f"the rows of incident {INCIDENT!r} do not match their seal" in result.output


def test_findings_removed_with_their_seals_still_fail(seeded: str) -> None:
    """Removing an owner's findings and their seal together shows in the part's total."""
    _tamper(
        seeded,
        f"DELETE FROM rm_findings WHERE owner = '{INCIDENT}'",
        f"DELETE FROM rm_seals WHERE owner = '{INCIDENT}' AND part = 'findings'",
    )
    result = _run(seeded, "findings")
    assert result.exit_code == 3, result.output
    assert "rows were removed with their seals" in result.output


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM rm_timeline WHERE position = 2",
        "UPDATE rm_timeline SET row = replace(row, 'fcr-ch-01', 'fcr-ch-09')",
    ],
)
def test_an_edited_timeline_is_not_served(seeded: str, statement: str) -> None:
    """A deleted or edited rm_timeline row makes `timeline` exit 3."""
    _tamper(seeded, statement)
    result = _run(seeded, "timeline", INCIDENT)
    assert result.exit_code == 3, result.output
    assert "rm_timeline" in result.output


def test_a_removed_incident_summary_is_not_served(seeded: str) -> None:
    """A deleted rm_owners row makes `incidents` exit 3 instead of listing one fewer."""
    _tamper(seeded, f"DELETE FROM rm_owners WHERE owner = '{INCIDENT}'")
    result = _run(seeded, "incidents")
    assert result.exit_code == 3, result.output
    assert "rm_owners" in result.output


def test_untouched_read_models_are_served(seeded: str) -> None:
    """Sealed rows that match are served as before."""
    result = _run(seeded, "findings", "--incident", INCIDENT, "--fail-on", "high")
    assert result.exit_code == 1, result.output
    assert "repeat-contact-not-linked" in result.output


def _verify_views(store_url: str) -> Result:
    return _run(store_url, "verify", "--views")


def test_verify_views_passes_untouched_read_models(seeded: str) -> None:
    """`verify --views` says how many owners match a recomputation (exit 0)."""
    result = _verify_views(seeded)
    assert result.exit_code == 0, result.output
    assert "read models: 5 incidents and loose events match a recomputation" in result.output


def test_verify_views_finds_a_removed_dependency_row(seeded: str) -> None:
    """An rm_deps row removed (which no read serves, but catch-up relies on) fails."""
    _tamper(seeded, f"DELETE FROM rm_deps WHERE owner = '{INCIDENT}' AND ref LIKE 'u:%'")
    result = _verify_views(seeded)
    assert result.exit_code == 3, result.output
    assert f"read models: rm_deps: the rows of incident {INCIDENT!r} differ" in result.output


def test_verify_views_finds_findings_forged_with_their_seal(seeded: str) -> None:
    """Findings removed by someone who also rewrites their seal and total: reads cannot see
    it, `verify --views` does."""
    with raw(seeded) as (conn, _):
        mark = "?" if isinstance(conn, sqlite3.Connection) else "%s"
        old = conn.execute(
            f"SELECT seal FROM rm_seals WHERE owner = {mark} AND part = 'findings'", (INCIDENT,)
        ).fetchone()[0]
        total = conn.execute("SELECT value FROM rm_meta WHERE key = 'seal:findings'").fetchone()[0]
        new = seals.digest("findings", [])
        forged = (int(total, 16) - int(old, 16) + int(new, 16)) % seals.MODULUS
        conn.execute(f"DELETE FROM rm_findings WHERE owner = {mark}", (INCIDENT,))
        conn.execute(
            f"UPDATE rm_seals SET seal = {mark} WHERE owner = {mark} AND part = 'findings'",
            (new, INCIDENT),
        )
        conn.execute(
            f"UPDATE rm_meta SET value = {mark} WHERE key = 'seal:findings'",
            (format(forged, "x"),),
        )
    assert _run(seeded, "findings", "--fail-on", "high").exit_code == 0
    result = _verify_views(seeded)
    assert result.exit_code == 3, result.output
    assert f"rm_findings: the rows of incident {INCIDENT!r} differ" in result.output
    assert "(0 stored, 9 recomputed)" in result.output


def test_verify_views_finds_rows_of_an_owner_the_events_do_not_give(seeded: str) -> None:
    """A read-model row of an incident no event names fails."""
    _tamper(seeded, "INSERT INTO rm_units (unit, incident) VALUES ('XX1', 'NO-SUCH')")
    result = _verify_views(seeded)
    assert result.exit_code == 3, result.output
    assert "rm_units: rows of incident 'NO-SUCH', which the events do not give" in result.output


def test_verify_views_says_when_there_is_nothing_to_compare(
    store_url: str, seed_stream: Path
) -> None:
    """Read models not built yet are said to be so, and verify still passes."""
    result = _run(store_url, "import", "--no-views", str(seed_stream))
    assert result.exit_code == 0, result.output
    result = _verify_views(store_url)
    assert result.exit_code == 0, result.output
    assert "read models: not built, or behind the events: nothing to compare" in result.output


def test_verify_views_passes_after_an_incident_claims_a_loose_event(
    store_url: str, tmp_path: Path
) -> None:
    """Read models caught up incrementally (a loose call end, then its call) verify."""
    end = event("e-02", "CallEnded", "2018-06-01T00:10:00+01:00", call="C9", how="completed")
    call = event(
        "e-01",
        "CallReceived",
        "2018-06-01T00:00:00+01:00",
        incident="CAD-9",
        call="C9",
        channel="999",
    )
    # The second import is small beside the first: the read models catch up incrementally.
    for name, stream in (("end", [*BASIC, end]), ("call", [call])):
        result = _run(store_url, "import", str(write(tmp_path / f"{name}.jsonl", stream)))
        assert result.exit_code == 0, result.output
        assert _run(store_url, "findings").exit_code == 0
    result = _verify_views(store_url)
    assert result.exit_code == 0, result.output
    assert "read models: 3 incidents and loose events match a recomputation" in result.output


def test_verify_views_as_json_says_what_it_compared(seeded: str) -> None:
    """`verify --views --format json` gives ok, the index rows and the owners compared."""
    result = _run(seeded, "verify", "--views", "--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert (body["ok"], body["views"]) == (True, {"owners": 5, "behind": False})
    assert body["index_rows"] > body["events"]
    _tamper(seeded, f"DELETE FROM rm_units WHERE incident = '{INCIDENT}'")
    result = _run(seeded, "verify", "--views", "--format", "json")
    assert result.exit_code == 3, result.output
    body = json.loads(result.output.splitlines()[0])
    assert body["ok"] is False
    assert body["problem"].startswith(f"rm_units: the rows of incident {INCIDENT!r} differ")


def test_plain_verify_finds_read_model_rows_changed_in_place(seeded: str) -> None:
    """`verify` without --views checks the read models' seals: deleted findings fail it."""
    _tamper(seeded, "DELETE FROM rm_findings WHERE severity = 'high'")
    result = _run(seeded, "verify")
    assert result.exit_code == 3, result.output
    assert "verification failed: read models: the stored read models were changed" in (
        result.output
    )
