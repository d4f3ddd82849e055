"""Shared by the report tests: a seeded ledger, the command line, and a stream full of PII."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from cli.main import main
from tests.streams_factory import event, write

SEED_INCIDENT = "MPS-2018-0531-8842"
FORMATS = ("jsonl", "csv", "md", "html", "eido")


def run(store: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["--store", f"sqlite:///{store}", *args], env=env)


def seeded(tmp_path: Path, stream: Path, zone: str = "Europe/London") -> Path:
    """A ledger holding `stream`, whose time zone (that of its reports) is `zone`."""
    store = tmp_path / "ledger.db"
    result = run(store, "import", "--timezone", zone, str(stream))
    assert result.exit_code == 0, result.stderr
    return store


# Personal values written several ways, and quoted in free text, as real records do.
NAME = "Jane Q. Example"
PHONE = "+44 7700 900456"
PHONE_NATIONAL = "07700 900456"
ADDRESS = "Flat 9, 14 Sample Street, Testtown"
HOSPITAL = "Ward 3, Testtown Royal Infirmary"
PII_STREAM = [
    event(
        "p-01",
        "MarkerAdded",
        "2018-01-10T09:00:00+00:00",
        subject={"kind": "phone", "key": "07700900456"},
        marker="domestic-abuse-priority",
        reason="Repeat victim; number flagged",
    ),
    event(
        "p-02",
        "CallReceived",
        "2018-06-01T23:54:00+01:00",
        incident="CAD-7",
        call="C7",
        channel="999",
        caller={"name": NAME, "phone": PHONE, "relation": "victim"},
        location={"address": ADDRESS, "lat": 51.5, "lon": -0.1},
        summary=f"{NAME} says her ex-partner is at {ADDRESS.upper()}; call back on 07700-900-456",
    ),
    event("p-03", "IncidentGraded", "2018-06-01T23:56:00+01:00", incident="CAD-7", grade="S"),
    event("p-04", "UnitAllocated", "2018-06-01T23:58:00+01:00", incident="CAD-7", unit="KD21"),
    event(
        "p-05",
        "UnitArrived",
        "2018-06-02T00:20:00+01:00",
        incident="CAD-7",
        unit="KD21",
        location={"address": HOSPITAL},
    ),
    event(
        "p-06",
        "IncidentNoted",
        "2018-06-02T00:25:00+01:00",
        incident="CAD-7",
        text=f"Spoke to jane q. example at {HOSPITAL.lower()}; mobile 0044 7700 900456",
    ),
    event(
        "p-07",
        "CallReceived",
        "2018-06-02T00:40:00+01:00",
        incident="CAD-7",
        call="C8",
        channel="outbound",
        caller={"name": NAME, "phone": PHONE_NATIONAL},
        note=f"Callback to {PHONE_NATIONAL} ({NAME})",
    ),
    event(
        "p-08",
        "IncidentClosed",
        "2018-06-02T01:00:00+01:00",
        incident="CAD-7",
        outcome=f"Advice given to {NAME}",
    ),
]
# What must not survive a redacted export, in the forms a reader could search for.
ORIGINALS = (
    "Jane Q. Example",
    "jane q. example",
    "JANE Q",
    "7700 900456",
    "7700900456",
    "900456",
    "900-456",
    "Sample Street",
    "sample street",
    "SAMPLE STREET",
    "Royal Infirmary",
    "royal infirmary",
    "51.5",
)


def pii_stream(tmp_path: Path) -> Path:
    return write(tmp_path / "pii.jsonl", PII_STREAM)


def seed_path() -> Path:
    return Path(__file__).resolve().parents[2] / "examples" / "iopc-2018-104370.jsonl"
