"""Read models caught up import by import equal the same models rebuilt from scratch."""

from __future__ import annotations

import io
import itertools
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.inputs.jsonl import read_jsonl
from ledger.store.ledger import Ledger
from ledger.write.importer import import_records
from projections.readmodels.catchup import catch_up, rebuild
from projections.readmodels.tables import Sql

STREAMS = Path(__file__).resolve().parent.parent / "streams"
CASES = (
    "iopc-2018-104370",
    "west-yorkshire-2017",
    "out-of-order-lines",
    "retraction-creates-finding",
    "correction-removes-finding",
    "one-second-over-thresholds",
    "kent-2017",
)
LINES = [
    line
    for case in CASES
    for line in (STREAMS / case / "events.jsonl").read_bytes().splitlines()
    if line.strip()
]


def _snapshot(ledger: Ledger) -> dict[str, list[Any]]:
    with ledger.backend.connection() as cursor:
        sql = Sql(cursor)
        return {
            table: [tuple(row) for row in sql.rows(f"SELECT * FROM {table} ORDER BY 1, 2")]
            for table in ("rm_incidents", "rm_incident_units", "rm_findings", "rm_meta")
        }


def _import(ledger: Ledger, lines: list[bytes]) -> None:
    import_records(ledger, read_jsonl(io.BytesIO(b"\n".join(lines) + b"\n"), "part"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cuts=st.lists(st.integers(min_value=1, max_value=len(LINES) - 1), max_size=6, unique=True))
def test_incremental_catch_up_equals_a_rebuild(cuts: list[int]) -> None:
    """Any split of the evidence into successive imports leaves the same read models."""
    bounds = [0, *sorted(cuts), len(LINES)]
    with (
        tempfile.TemporaryDirectory() as folder,
        Ledger.open(f"sqlite:///{folder}/l.db", must_exist=False) as ledger,
    ):
        for start, stop in itertools.pairwise(bounds):
            _import(ledger, LINES[start:stop])
            catch_up(ledger)
        incremental = _snapshot(ledger)
        rebuild(ledger)
        assert _snapshot(ledger) == incremental


def test_a_read_command_catches_up_with_another_writer(tmp_path: Path) -> None:
    """Events appended without catching up are in the views at the next read."""
    from projections.query import findings, refresh

    with Ledger.open(f"sqlite:///{tmp_path / 'l.db'}", must_exist=False) as ledger:
        _import(ledger, LINES[:5])
        catch_up(ledger)
        _import(ledger, LINES[5:])  # another writer: no catch-up
        refresh(ledger)
        caught_up = _snapshot(ledger)
        rebuild(ledger)
        assert _snapshot(ledger) == caught_up
        assert findings(ledger)
