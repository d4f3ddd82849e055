"""`ledger export` in each format, as scripts and auditors call it: exit codes and output."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

import pytest

from ledger.store.ledger import Ledger
from tests.reports.support import SEED_INCIDENT, run, seed_path, seeded


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return seeded(tmp_path, seed_path())


def test_jsonl_default_is_every_stored_line_in_append_order(store: Path) -> None:
    """Without options the export is the canonical stream, byte for byte as stored."""
    result = run(store, "export")
    assert result.exit_code == 0, result.stderr
    with Ledger.open(f"sqlite:///{store}") as ledger:
        expected = b"".join(line.line + b"\n" for line in ledger.lines())
    assert result.stdout_bytes == expected
    assert result.stderr == ""


def test_jsonl_of_an_incident_is_the_events_its_views_rest_on(store: Path) -> None:
    """--incident keeps canonical lines in append order: the incident's events and context."""
    result = run(store, "export", "--incident", SEED_INCIDENT)
    assert result.exit_code == 0, result.stderr
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == [f"mps-e{n:02d}" for n in (1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)]
    full = run(store, "export").stdout.splitlines()
    assert all(line in full for line in result.stdout.splitlines())


def test_csv_has_one_row_per_timeline_entry_with_open_findings(store: Path) -> None:
    """Rows carry ISO and local times, who, what, change and the findings open then."""
    result = run(store, "export", "--format", "csv", "--incident", SEED_INCIDENT)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(b"incident,event,type,at,precision,recorded_at,")
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert len(rows) == 14
    call = next(r for r in rows if r["event"] == "mps-e05")
    assert call["at"] == "2018-05-31T23:54:00+01:00"
    assert call["local_time"] == "2018-05-31 23:54:00"
    assert call["time_zone"] == "Europe/London (BST)"
    assert call["who"] == "fcr-ch-01"
    assert call["open_findings"] == "possible-domestic-not-flagged; repeat-contact-not-linked"
    assert call["precision"] == "minute"
    arrival = next(r for r in rows if r["event"] == "mps-e13")
    assert "response-target-missed" not in arrival["open_findings"]  # the arrival closed it
    assert result.stdout_bytes.count(b"\r\n") == 15


def test_csv_excel_adds_the_byte_order_mark_and_defuses_formulas(tmp_path: Path) -> None:
    """--excel starts with a BOM; a cell such as +44 7700… cannot run as a formula."""
    from tests.reports.support import pii_stream

    store = seeded(tmp_path, pii_stream(tmp_path))
    result = run(store, "export", "--format", "csv", "--excel")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfincident,")
    cells = [c for row in csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))) for c in row]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


def test_markdown_has_header_summary_timeline_and_findings(store: Path) -> None:
    """The Markdown report names the chain head and lists each finding with its evidence."""
    result = run(store, "export", "--format", "md", "--incident", SEED_INCIDENT)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    with Ledger.open(f"sqlite:///{store}") as ledger:
        head = ledger.head()[1].hex()
    assert text.startswith("# Incident ledger report\n")
    assert f"| Ledger | 16 events; chain head {head} |" in text
    assert (
        "| `MPS-2018-0531-8842` | 2018-05-31 23:54 BST | S | closed | CS41, CS52 | 4 / 4 / 1 |"
        in text
    )
    assert (
        "**HIGH — response-target-missed** · 2018-06-01 00:54 BST → 03:00 BST (2 h 6 min)" in text
    )
    assert "   Evidence: `mps-e05`, `mps-e07`" in text


def test_eido_is_a_series_of_eido_1_0_documents(store: Path) -> None:
    """One EIDO per line; the last shows units, calls and the closing."""
    result = run(store, "export", "--format", "eido", "--incident", SEED_INCIDENT)
    assert result.exit_code == 0, result.stderr
    series = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(d["eidoVersion"] == "1.0" and d["agencyComponent"] for d in series)
    assert all(
        {"$id", "lastUpdateTimeStamp", "updatedByAgencyReference"} <= d.keys() for d in series
    )
    last = series[-1]
    incident = last["incidentComponent"]
    assert incident["internalIncidentId"] == SEED_INCIDENT
    assert incident["incidentStatusCommonRegistryText"] == ["Closed"]
    assert incident["incidentPriorityInternalText"] == "S"
    notes = [n["notesActionComments"] for n in last["notesComponent"]]
    assert any(n.startswith("Closed: Crime") for n in notes)
    assert "Unit CS41 diverted to incident MPS-2018-0601-0102" in notes
    units = {u["emergencyResourceName"]: u for u in last["emergencyResourceComponent"]}
    assert units["CS41"]["secondaryUnitStatusRegistryText"] == ["AssignmentCancelled"]
    assert units["CS52"]["secondaryUnitStatusRegistryText"] == ["Cleared"]
    calls = {c["$id"].split(":")[4].rsplit(".", 1)[1]: c for c in last["callComponent"]}
    assert calls["mps-call-2"]["callStateRegistryText"] == "callEnd"
    statuses = [d["incidentComponent"]["incidentStatusCommonRegistryText"][0] for d in series]
    assert statuses[:3] == ["Active", "Active", "Active"]
    assert "ResourcesAssigned" in statuses
    assert "ResourcesOnscene" in statuses


def test_html_is_one_file_with_an_svg_lane_per_unit(store: Path) -> None:
    """The page is self-contained: a CSP that forbids fetching, no external reference."""
    result = run(store, "export", "--format", "html", "--incident", SEED_INCIDENT)
    assert result.exit_code == 0, result.stderr
    page = html.unescape(result.stdout)
    assert page.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in page
    assert page.count('data-lane="unit"') == 2
    assert page.count('class="finding-bar') == 9
    for external in ("http://", "https://", "src=", "@import", "url("):
        assert external not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_since_until_choose_incidents_by_first_call(store: Path) -> None:
    """--since/--until keep incidents whose first call falls in the window."""
    result = run(store, "export", "--format", "md", "--since", "2018-05-30T00:00:00Z")
    assert result.exit_code == 0, result.stderr
    assert "## MPS-2018-0531-8842" in result.stdout
    assert "## MPS-2018-0527-0311" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--incident", "MPS-2018-0531-884"), "no incident 'MPS-2018-0531-884' in the ledger"),
        (("--format", "csv", "--format", "md"), "one --format at a time"),
        (("--at", "2018-06-01T00:00:00+01:00"), "--at does not apply to --format jsonl"),
        (("--format", "md", "--since", "yesterday"), "--since: 'yesterday' is not a time"),
        (("--format", "md", "--at", "2018-06-01T25:00"), "hour must be in 0..23"),
        (("--bundle", "b", "-o", "f"), "either --bundle DIR or -o FILE"),
    ],
)
def test_bad_usage_exits_2_saying_why(store: Path, args: tuple[str, ...], message: str) -> None:
    """Unknown incidents, clashing options and bad times are usage errors (exit 2)."""
    result = run(store, "export", *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert message in result.stderr


def test_export_of_a_missing_store_exits_3(tmp_path: Path) -> None:
    """A store that was never written is a store failure, whatever the format."""
    result = run(tmp_path / "none.db", "export", "--format", "html")
    assert result.exit_code == 3, result.output
    assert "no ledger at" in result.stderr


def test_as_known_at_shows_only_what_was_recorded_then(store: Path) -> None:
    """Before the diversion was written up, control could not know CS41 had left."""
    result = run(
        store, "export", "--format", "csv", "--incident", SEED_INCIDENT,
        "--as-known-at", "2018-06-01T07:00:00+01:00",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert "mps-e16" not in [r["event"] for r in rows]
    assert all("unresourced-after-diversion" not in r["open_findings"] for r in rows)
