"""Benchmark: the read side against baselines measured in the same run.

    python bench/read.py [--events 1000000] [--small 100000] [--postgres URL] [--runs 7]

For a ledger of `--events` synthetic events (and, for flatness, one of `--small` events):

- catch-up: the first read (`ledger incidents`) after `ledger import --no-views`, which
  builds every view, against that import (target: at most 1.0x the import on SQLite, 1.5x
  on PostgreSQL); `ledger rebuild` (which verifies the ledger first) is reported beside it;
- computed views over the whole ledger, `findings --policy FILE` (the built-in policy with
  a 29-day repeat window: a byte copy would be the stored view), `--at T` and
  `--as-known-at T`: wall time against the catch-up (target at
  most 1.5x) and peak RSS (target at most 300 MB, and 1M within 1.3x of 100k);
- stored reads, medians of `--runs` fresh processes: `timeline INCIDENT` and
  `findings --format json` against `ledger --version` (targets at most 1.3x and 2x).

Every command runs as its own process; its wall time and peak RSS (from wait4) are reported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth

LEDGER = [sys.executable, "-c", "from cli.main import main; main()"]


def measured(command: list[str]) -> tuple[float, int]:
    """(wall seconds, peak RSS in MiB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss // 1024


def median(command: list[str], runs: int) -> float:
    measured(command)  # warm the page cache: every run then starts alike
    return statistics.median(measured(command)[0] for _ in range(runs))


def ledger_at(folder: Path, events: int, store: str) -> dict[str, tuple[float, int]]:
    """Build a ledger of `events` events and time what the targets name on it."""
    stream = folder / f"stream-{events}.jsonl"
    if not stream.exists():
        synth.write(stream, events)
    cli = [*LEDGER, "--store", store]
    found: dict[str, tuple[float, int]] = {}
    found["import"] = measured([*cli, "import", "-q", "--no-views", str(stream)])
    # The catch-up a reader meets: the first read after an import that built no views.
    found["catch-up"] = measured([*cli, "incidents", "--format", "json"])
    found["rebuild"] = measured([*cli, "rebuild"])  # verifies the ledger, then builds anew
    policy = folder / "policy.toml"
    policy.write_text('[rules]\nrepeat_window = "P29D"\n', encoding="utf-8")
    middle = "2026-03-15T00:00:00+00:00" if events >= 100_000 else "2026-01-02T00:00:00+00:00"
    found["findings --policy"] = measured(
        [*cli, "findings", "--format", "json", "--policy", str(policy)]
    )
    found["findings --at"] = measured([*cli, "findings", "--format", "json", "--at", middle])
    found["findings --as-known-at"] = measured(
        [*cli, "findings", "--format", "json", "--as-known-at", middle]
    )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--postgres", help="also measure catch-up on this PostgreSQL server")
    parser.add_argument("--keep", type=Path, help="Build the ledgers here and keep them.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        results: dict[int, dict[str, tuple[float, int]]] = {}
        for size in (args.small, args.events):
            db = folder / f"ledger-{size}.db"
            db.unlink(missing_ok=True)
            results[size] = ledger_at(folder, size, f"sqlite:///{db}")
        big = results[args.events]
        store = ["--store", f"sqlite:///{folder / f'ledger-{args.events}.db'}"]
        incident = f"CAD-{args.events // 11 // 2:07d}"
        version = median([*LEDGER, "--version"], args.runs)
        timeline = median([*LEDGER, *store, "timeline", incident], args.runs)
        stored = median([*LEDGER, *store, "findings", "--format", "json"], args.runs)
        pg: dict[str, tuple[float, int]] = {}
        if args.postgres:
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            url = f"{args.postgres.split('?')[0]}?schema={schema}"
            stream = folder / f"stream-{args.events}.jsonl"
            pg["import"] = measured(
                [*LEDGER, "--store", url, "import", "-q", "--no-views", str(stream)]
            )
            pg["catch-up"] = measured([*LEDGER, "--store", url, "incidents", "--format", "json"])
            import psycopg

            with psycopg.connect(args.postgres.split("?")[0], autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def line(name: str, value: tuple[float, int], base: float, target: str) -> None:
        print(f"{name:28s} {value[0]:8.1f} s  {value[1]:5d} MiB  {value[0] / base:5.2f}x  {target}")

    print(f"SQLite, {args.events:,} events (and {args.small:,} for flatness)")
    line("import --no-views", big["import"], big["import"][0], "(baseline)")
    line("catch-up (first read)", big["catch-up"], big["import"][0], "target <= 1.0x import")
    line("rebuild (verify + build)", big["rebuild"], big["import"][0], "(report)")
    for view in ("findings --policy", "findings --at", "findings --as-known-at"):
        line(view, big[view], big["catch-up"][0], "target <= 1.5x catch-up, <= 300 MiB")
        flat = big[view][1] / max(results[args.small][view][1], 1)
        print(
            f"{'':28s} RSS {results[args.small][view][1]} MiB at {args.small:,}: {flat:.2f}x (target <= 1.3x)"
        )
    print(f"ledger --version       {version * 1000:6.0f} ms")
    print(
        f"ledger timeline        {timeline * 1000:6.0f} ms  {timeline / version:.2f}x --version (target <= 1.3)"
    )
    print(
        f"ledger findings json   {stored * 1000:6.0f} ms  {stored / version:.2f}x --version (target <= 2)"
    )
    if pg:
        print(f"PostgreSQL, {args.events:,} events")
        line("import --no-views", pg["import"], pg["import"][0], "(baseline)")
        line("catch-up (first read)", pg["catch-up"], pg["import"][0], "target <= 1.5x import")


if __name__ == "__main__":
    main()
