"""Benchmark: `ledger import-csv` against `ledger import` of the stream it produces, same run.

A synthetic export in the SFFD per-unit shape (bench/csv_synth.py) is read through
mappings/sffd.toml; the events it makes are written once as JSON Lines (not timed). Then, each
in its own process on a fresh SQLite store, with --no-views (the write path alone; catching
the read models up is the same work either way):
- `ledger import-csv EXPORT --mapping mappings/sffd.toml`
- `ledger import STREAM`
and the wall time and peak RSS of each are reported, for two sizes: memory must stay flat in
rows (it grows with incidents only), time at most 1.5x the stream's import.

    python bench/import_csv.py [--rows 1000000] [--small 100000] [--repeats 1]
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import uuid
from pathlib import Path

import orjson

from ledger.inputs.csv import load_mapping, read_csv
from ledger.write.records import RawRecord

sys.path.insert(0, str(Path(__file__).resolve().parent))
import csv_synth

MAPPING = Path(__file__).resolve().parents[1] / "mappings" / "sffd.toml"
common = importlib.import_module("import")  # bench/import.py: run one process, best of n


def stream_of(export: Path, out: Path) -> tuple[int, int]:
    """Write the events `export` makes as JSON Lines; (events, incidents)."""
    events, incidents = 0, set()
    with out.open("wb") as file:
        for record in read_csv(export, load_mapping(MAPPING)):
            if not isinstance(record, RawRecord):
                raise SystemExit(f"the synthetic export has a problem: {record}")
            assert isinstance(record.payload, dict)
            file.write(orjson.dumps(record.payload) + b"\n")
            events += 1
            incidents.add(record.payload.get("incident"))
    return events, len(incidents)


def measure(folder: Path, rows: int, repeats: int) -> dict[str, float]:
    export = csv_synth.write(folder / f"export-{rows}.csv", rows)
    stream = folder / f"stream-{rows}.jsonl"
    events, incidents = stream_of(export, stream)

    def store() -> str:
        return f"sqlite:///{folder / uuid.uuid4().hex[:8]}.db"

    csv_s, csv_rss = common.best(
        lambda: [*common.LEDGER, "--store", store(), "import-csv", str(export), "--mapping",
                 str(MAPPING), "-q", "--no-views"],
        repeats,
    )  # fmt: skip
    jsonl_s, jsonl_rss = common.best(
        lambda: [*common.LEDGER, "--store", store(), "import", "-q", "--no-views", str(stream)],
        repeats,
    )
    print(
        f"{rows:>9,} rows, {events:,} events, {incidents:,} incidents: "
        f"import-csv {csv_s:6.1f} s, peak {csv_rss} MiB; its stream through import "
        f"{jsonl_s:6.1f} s, peak {jsonl_rss} MiB; ratio {csv_s / jsonl_s:.2f}x (target <= 1.5)",
        flush=True,
    )
    for path in (export, stream):
        path.unlink()
    return {"incidents": incidents, "csv_rss": csv_rss, "ratio": csv_s / jsonl_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = measure(Path(tmp), args.small, args.repeats)
        large = measure(Path(tmp), args.rows, args.repeats)
    grown = (large["csv_rss"] - small["csv_rss"]) * 2**20
    per_incident = grown / max(large["incidents"] - small["incidents"], 1)
    print(
        f"peak RSS of import-csv: {args.rows:,} rows / {args.small:,} rows = "
        f"{large['csv_rss'] / small['csv_rss']:.2f}x; the growth is "
        f"{per_incident:.0f} bytes per added incident"
    )


if __name__ == "__main__":
    main()
