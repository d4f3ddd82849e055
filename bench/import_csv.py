"""Benchmark: `ledger import-csv` against `ledger import` of the stream it produces, same run.

A synthetic export in the SFFD per-unit shape (bench/csv_synth.py) is read through
mappings/sffd.toml; the events it makes are written once as JSON Lines (not timed). Then, each
in its own process on a fresh SQLite store, with --no-views (the write path alone; catching
the read models up is the same work either way):
- `ledger import-csv EXPORT --mapping mappings/sffd.toml`
- `ledger import STREAM`
and the wall time, CPU time and peak RSS of each are reported, for two sizes: memory must stay
flat in rows (it grows with incidents only), time at most 1.5x the stream's import. A large
export is read in a worker process (ledger/inputs/csv/aside.py): import-csv's CPU time
includes the worker's, its peak RSS is the larger of the two processes', and the worker is
also run alone to show the reader's own time and memory. On a machine others share, wall
times swing with their load; CPU times much less.

This process stays small, leaving the stream to a child of its own: Linux counts the memory
of the process a command was started from in that command's peak RSS.

    python bench/import_csv.py [--rows 1000000] [--small 100000] [--repeats 1]
"""

from __future__ import annotations

import argparse
import os
import pickle
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import csv_synth

MAPPING = Path(__file__).resolve().parents[1] / "mappings" / "sffd.toml"
LEDGER = [sys.executable, "-c", "from cli.main import main; main()"]


def run(command: list[str], store: Path, given: Path | None = None) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one child process; its store removed."""
    start = time.perf_counter()
    with (given or Path(os.devnull)).open("rb") as stdin:
        process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    store.unlink(missing_ok=True)
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(command)}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def best(command: list[str], folder: Path, repeats: int) -> tuple[float, float, int]:
    """`ledger COMMAND…` on fresh stores: the least wall and CPU time, the largest peak RSS."""
    results = []
    for _ in range(repeats):
        store = folder / f"{uuid.uuid4().hex[:8]}.db"
        results.append(run([*LEDGER, "--store", f"sqlite:///{store}", *command], store))
    return min(r[0] for r in results), min(r[1] for r in results), max(r[2] for r in results)


def reader_alone(request: Path, folder: Path) -> tuple[float, float, int]:
    """The worker of a large import run on its own, its records thrown away."""
    worker = [sys.executable, "-m", "ledger.inputs.csv.aside"]
    return run(worker, folder / "no-store", given=request)


def prepare(export: Path, stream: Path, request: Path) -> tuple[int, int]:
    """In a child process: the stream `export` makes, the worker's request; (events, incidents)."""
    done = subprocess.run(
        [sys.executable, __file__, "--prepare", str(export), str(stream), str(request)],
        check=True,
        capture_output=True,
        text=True,
    )
    events, incidents = done.stdout.split()
    return int(events), int(incidents)


def _prepare(export: Path, stream: Path, request: Path) -> None:
    import orjson

    from ledger.inputs.csv import load_mapping, read_csv
    from ledger.write.records import RawRecord

    mapping = load_mapping(MAPPING)
    request.write_bytes(pickle.dumps((export, mapping)))
    events, incidents = 0, set()
    with stream.open("wb") as file:
        for record in read_csv(export, mapping):
            if not isinstance(record, RawRecord):
                raise SystemExit(f"the synthetic export has a problem: {record}")
            assert isinstance(record.payload, dict)
            file.write(orjson.dumps(record.payload) + b"\n")
            events += 1
            incidents.add(record.payload.get("incident"))
    print(events, len(incidents))


def measure(folder: Path, rows: int, repeats: int) -> dict[str, float]:
    export = csv_synth.write(folder / f"export-{rows}.csv", rows)
    stream, request = folder / f"stream-{rows}.jsonl", folder / "request.pickle"
    events, incidents = prepare(export, stream, request)

    importing = ["import-csv", str(export), "--mapping", str(MAPPING), "-q", "--no-views"]
    csv_s, csv_cpu, csv_rss = best(importing, folder, repeats)
    jsonl_s, jsonl_cpu, jsonl_rss = best(
        ["import", "-q", "--no-views", str(stream)], folder, repeats
    )
    _, read_cpu, read_rss = reader_alone(request, folder)
    print(
        f"{rows:>9,} rows, {events:,} events, {incidents:,} incidents:\n"
        f"  import-csv           {csv_s:7.1f} s wall {csv_cpu:7.1f} s CPU, peak {csv_rss} MiB\n"
        f"  import of its stream {jsonl_s:7.1f} s wall {jsonl_cpu:7.1f} s CPU, peak {jsonl_rss} MiB\n"
        f"  reading the rows alone (the worker)  {read_cpu:7.1f} s CPU, peak {read_rss} MiB\n"
        f"  ratio {csv_s / jsonl_s:.2f}x wall, {csv_cpu / jsonl_cpu:.2f}x CPU (target <= 1.5)",
        flush=True,
    )
    for path in (export, stream):
        path.unlink()
    return {
        "incidents": incidents,
        "csv_rss": csv_rss,
        "jsonl_rss": jsonl_rss,
        "read_rss": read_rss,
    }


def main() -> None:
    if sys.argv[1:2] == ["--prepare"]:
        _prepare(*map(Path, sys.argv[2:5]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = measure(Path(tmp), args.small, args.repeats)
        large = measure(Path(tmp), args.rows, args.repeats)
    grown = (large["read_rss"] - small["read_rss"]) * 2**20
    per_incident = grown / max(large["incidents"] - small["incidents"], 1)
    print(
        f"peak RSS, {args.small:,} -> {args.rows:,} rows: import-csv {small['csv_rss']} -> "
        f"{large['csv_rss']} MiB, its stream {small['jsonl_rss']} -> {large['jsonl_rss']} MiB, "
        f"the reader {small['read_rss']} -> {large['read_rss']} MiB "
        f"({per_incident:.0f} bytes per added incident)"
    )


if __name__ == "__main__":
    main()
