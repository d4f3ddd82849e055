"""Benchmark: whole-ledger exports against the `jsonl` export of the same ledger, in one run.

    python bench/export.py [--events 100000] [--keep DIR]

Builds the ledger as issue 10 says (`bench/synth.py`, `ledger import --no-views`, then
`ledger rebuild`), then times `ledger export --format F` for jsonl (the baseline) and csv, md,
html and eido, each its own process, reporting wall time, peak RSS (wait4) and the ratio to
jsonl. Targets: at most 2x jsonl, at most 300 MiB at 1,000,000 events.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth

LEDGER = [sys.executable, "-c", "from cli.main import main; main()"]
FORMATS = ("jsonl", "csv", "md", "html", "eido")


def measured(command: list[str]) -> tuple[float, int]:
    """(wall seconds, peak RSS in MiB) of one process, its output thrown away."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return time.perf_counter() - start, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="Build the ledger here and keep it (reused).")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / f"ledger-{args.events}.db"
        cli = [*LEDGER, "--store", f"sqlite:///{db}"]
        if not db.exists():
            stream = folder / f"stream-{args.events}.jsonl"
            synth.write(stream, args.events)
            measured([*cli, "import", "-q", "--no-views", str(stream)])
            measured([*cli, "rebuild"])
        found = {fmt: measured([*cli, "export", "--format", fmt]) for fmt in FORMATS}
    base = found["jsonl"][0]
    print(f"SQLite, {args.events:,} events: whole-ledger export")
    for fmt, (seconds, rss) in found.items():
        target = "(baseline)" if fmt == "jsonl" else "target <= 2.0x jsonl, <= 300 MiB"
        print(f"{fmt:6s} {seconds:8.1f} s  {rss:5d} MiB  {seconds / base:5.2f}x  {target}")


if __name__ == "__main__":
    main()
